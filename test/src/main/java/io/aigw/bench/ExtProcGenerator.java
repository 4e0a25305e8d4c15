package io.aigw.bench;

/**
 * A load generator of the ExtProc benchmark: persistent HTTP/2 connections, one {@code Process}
 * stream per exchange, open loop. Two implementations measure the same server: {@link
 * ExtProcNettyLoad} (HTTP/2 frames on Netty's native transport, the default: it costs about what
 * Envoy's own client costs, so it leaves the server its share of two cores) and {@link ExtProcLoad}
 * (grpc-java).
 */
interface ExtProcGenerator extends AutoCloseable {

  /** Opens every connection before the first measurement. */
  void connect();

  /** Sends {@code rate} exchanges per second for {@code seconds}, open loop. */
  ExtProcLoad.RunResult openLoop(int rate, double seconds);

  /**
   * {@code streams} streamed chat completions at once, each pushing SSE chunks for {@code seconds}
   * with up to {@code window} chunks awaiting their answer.
   */
  ExtProcLoad.StreamResult streaming(int streams, int window, double seconds);

  @Override
  void close();
}
