package io.aigw.deploy.cli;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x instance a long-running command runs on: Netty's native epoll transport where the
 * platform has it (the jar ships it for Linux x86_64), NIO elsewhere. Vert.x uses NIO unless asked,
 * and the ExtProc benchmark measures the server on epoll, so the commands ask. The benchmark's
 * server starts its Vert.x here too, so it measures what the commands run.
 */
public final class CommandVertx {

  private CommandVertx() {}

  public static Vertx create() {
    return create(0);
  }

  /**
   * With {@code busyPollMicros} above zero, the I/O event loops poll that long after their last I/O
   * before they sleep ({@link BusyPollStrategy}); that needs epoll.
   *
   * @throws IllegalStateException when busy polling is asked for and epoll is not available
   */
  public static Vertx create(long busyPollMicros) {
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    Vertx vertx;
    if (busyPollMicros > 0) {
      BusyPollTransport.requireEpoll();
      vertx =
          Vertx.builder()
              .with(options)
              .withTransport(new BusyPollTransport(TimeUnit.MICROSECONDS.toNanos(busyPollMicros)))
              .build();
    } else {
      vertx = Vertx.vertx(options);
    }
    LoggerFactory.getLogger(CommandVertx.class)
        .atInfo()
        .addKeyValue("transport", vertx.isNativeTransportEnabled() ? "epoll" : "nio")
        .addKeyValue("busyPollMicros", busyPollMicros)
        .log("Vert.x started");
    return vertx;
  }
}
