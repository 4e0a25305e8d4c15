package io.aigw.deploy.cli;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x instance a long-running command runs on: Netty's native epoll transport where the
 * platform has it (the jar ships it for Linux x86_64), NIO elsewhere. Vert.x uses NIO unless asked,
 * and the ExtProc benchmark measures the server on epoll, so the commands ask.
 */
final class CommandVertx {

  private CommandVertx() {}

  static Vertx create() {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    LoggerFactory.getLogger(CommandVertx.class)
        .atInfo()
        .addKeyValue("transport", vertx.isNativeTransportEnabled() ? "epoll" : "nio")
        .log("Vert.x started");
    return vertx;
  }
}
