package io.aigw.bench;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;

/**
 * The client's side of one buffered exchange, whichever generator carries it: its messages one by
 * one, each sent when the previous answer came, as Envoy does in buffered mode; latency counts from
 * when the exchange was due. Not thread-safe: a generator calls it under its stream's lock or from
 * its stream's one thread.
 */
final class BufferedChat {

  /** How a generator puts the exchange's messages on its wire. */
  interface Wire {
    /** Sends message {@code step} of the exchange (0 first). */
    void send(int step);

    /** Every answer came: the stream is over. */
    void close();
  }

  private final long due;
  private final int messages;
  private final ExtProcRun run;
  private final Wire wire;
  private int step;
  private long firstSend;
  private long sentAt;
  private long waited;
  private boolean valid = true;

  BufferedChat(long due, int messages, ExtProcRun run, Wire wire) {
    this.due = due;
    this.messages = messages;
    this.run = run;
    this.wire = wire;
  }

  void begin() {
    firstSend = System.nanoTime();
    sentAt = firstSend;
    wire.send(0);
  }

  void answered(ProcessingResponse response, long now) {
    waited += now - sentAt;
    valid &= !response.hasImmediateResponse();
    step++;
    if (step < messages) {
      sentAt = now;
      wire.send(step);
      return;
    }
    wire.close();
    run.done(due, firstSend, waited, now, valid && response.hasDynamicMetadata());
  }

  /** The stream broke off before its last answer. */
  void failed(String why) {
    run.failed(why + " after " + step + " answers");
  }
}
