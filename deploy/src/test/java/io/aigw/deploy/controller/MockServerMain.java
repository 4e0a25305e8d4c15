package io.aigw.deploy.controller;

import java.io.IOException;

/**
 * fabric8's CRUD mock server as a process of its own, so that a benchmark measures the controller's
 * heap and CPU without the server's: prints {@code READY <url>}, stops when its standard input
 * closes.
 */
public final class MockServerMain {

  private MockServerMain() {}

  public static void main(String[] args) throws IOException {
    try (MockApiServer server = MockApiServer.crud()) {
      System.out.println("READY " + server.url());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our input
      }
    }
  }
}
