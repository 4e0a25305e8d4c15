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
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    logStart(vertx, 0);
    return vertx;
  }

  /**
   * Vert.x with {@code eventLoops} I/O event loops that poll {@code busyPollMicros} after their
   * last I/O or wake-up before they sleep ({@link BusyPollStrategy}); that needs epoll. Only as
   * many loops as the caller serves with: a spare loop woken by a timer would poll on a CPU that a
   * serving loop needs.
   *
   * @throws IllegalStateException when epoll is not available
   */
  public static Vertx polling(int busyPollMicros, int eventLoops) {
    BusyPollTransport.requireEpoll();
    Vertx vertx =
        Vertx.builder()
            .with(new VertxOptions().setEventLoopPoolSize(eventLoops))
            .withTransport(new BusyPollTransport(TimeUnit.MICROSECONDS.toNanos(busyPollMicros)))
            .build();
    logStart(vertx, busyPollMicros);
    return vertx;
  }

  private static void logStart(Vertx vertx, long busyPollMicros) {
    LoggerFactory.getLogger(CommandVertx.class)
        .atInfo()
        .addKeyValue("transport", vertx.isNativeTransportEnabled() ? "epoll" : "nio")
        .addKeyValue("busyPollMicros", busyPollMicros)
        .log("Vert.x started");
  }
}
