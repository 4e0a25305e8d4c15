package io.aigw.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;

class CommandVertxTest {

  @Test
  void runsOnTheNativeTransportWhereThePlatformHasIt() {
    Vertx vertx = CommandVertx.create();
    try {
      assertThat(vertx.isNativeTransportEnabled()).isEqualTo(Transport.EPOLL.available());
    } finally {
      vertx.close().await();
    }
  }
}
