package io.aigw.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
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

  @Test
  void busyPollingLoopsServeSocketsAndFireTimersWhenIdle() throws Exception {
    if (!Transport.EPOLL.available()) {
      assertThatThrownBy(() -> CommandVertx.polling(200, 1)).hasMessageContaining("epoll");
      return;
    }
    Vertx vertx = CommandVertx.polling(200, 1);
    try {
      VertxInternal internal = (VertxInternal) vertx;
      assertThat(internal.transport().getClass().getEnclosingClass())
          .as("the polling epoll transport")
          .isEqualTo(BusyPollTransport.class);
      // no spare loop that a timer could wake to poll beside the serving one
      assertThat(internal.eventLoopGroup()).hasSize(1);
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(request -> request.response().end("pong"))
              .listen(0, "127.0.0.1")
              .await(10, TimeUnit.SECONDS);
      // held until the exchange ends: Vert.x closes a client nothing refers to once it is
      // collected, which fails a request still in flight with "Pool closed"
      HttpClient client = vertx.createHttpClient();
      Buffer body =
          client
              .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
              .compose(request -> request.send().compose(HttpClientResponse::body))
              .await(10, TimeUnit.SECONDS);
      client.close().await(10, TimeUnit.SECONDS);
      assertThat(body.toString()).isEqualTo("pong");

      // idle past its window, the loop sleeps until its timer wakes it: it burns a small part of
      // the wait (a loop that kept polling would burn nearly all of it)
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Promise<Long> cpuWhileWaiting = Promise.promise();
      vertx.runOnContext(
          ignored -> {
            long start = threads.getCurrentThreadCpuTime();
            vertx.setTimer(
                500, id -> cpuWhileWaiting.complete(threads.getCurrentThreadCpuTime() - start));
          });
      assertThat(cpuWhileWaiting.future().await(10, TimeUnit.SECONDS))
          .isLessThan(TimeUnit.MILLISECONDS.toNanos(200));
    } finally {
      vertx.close().await();
    }
  }
}
