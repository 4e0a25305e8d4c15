package io.aigw.bench;

import java.util.ArrayDeque;

/**
 * The client's side of one streamed chat completion, whichever generator carries it: the setup
 * messages one by one, then {@code window} SSE chunks kept in flight until the run ends (Envoy
 * forwards streamed chunks without waiting for the previous answer), then the end of the body. Not
 * thread-safe: a generator calls it from the one thread that handles its stream's answers.
 */
final class StreamedChat {

  /** How a generator puts each message of the exchange on its wire. */
  interface Wire {
    void requestBody();

    void responseHeaders();

    void chunk();

    void endOfBody();

    /** Every answer came: the stream is over. */
    void close();
  }

  private final ExtProcStreamRun run;
  private final int window;
  private final Wire wire;
  private final ArrayDeque<Long> sentAt = new ArrayDeque<>();
  private int answers;
  private boolean endSent;

  StreamedChat(ExtProcStreamRun run, int window, Wire wire) {
    this.run = run;
    this.window = window;
    this.wire = wire;
  }

  /** The server answered the next message at {@code now}. */
  void answered(long now) {
    answers++;
    switch (answers) {
      case 1 -> wire.requestBody();
      case 2 -> wire.responseHeaders();
      case 3 -> {
        for (int i = 0; i < window; i++) {
          sendChunk(now);
        }
      }
      default -> chunkAnswered(now);
    }
  }

  /** The stream broke off before its last answer. */
  void failed(String why) {
    run.streamFailed("after " + answers + " answers: " + why);
  }

  private void chunkAnswered(long now) {
    Long sent = sentAt.poll();
    if (sent == null) {
      wire.close();
      run.streamEnded();
      return;
    }
    run.chunkAnswered(now - sent);
    if (run.running(now)) {
      sendChunk(now);
    } else if (sentAt.isEmpty() && !endSent) {
      endSent = true;
      wire.endOfBody();
    }
  }

  private void sendChunk(long now) {
    sentAt.add(now);
    wire.chunk();
  }
}
