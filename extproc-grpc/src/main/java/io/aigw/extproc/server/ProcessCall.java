package io.aigw.extproc.server;

import io.aigw.extproc.processor.ProcessorEnvironment;
import io.aigw.extproc.processor.StreamProcessor;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.function.Consumer;

/**
 * One {@code Process} call: every message answered by its {@link StreamProcessor}, and the call
 * ended by the server with the answer after which the processor expects nothing more (the last
 * response body chunk, or an immediate response). The ext_proc protocol lets the server close the
 * stream cleanly at any point, and Envoy then goes on without it; ending with the last answer puts
 * the trailers in the same write as that answer, instead of a round of Envoy half-closing and the
 * server answering with trailers alone.
 */
final class ProcessCall {

  private final StreamProcessor processor;
  private final GrpcServerRequest<ProcessingRequest, ProcessingResponse> call;
  private final ProcessorEnvironment env;
  private final Consumer<Boolean> onDone;
  private boolean ended;
  private boolean done;

  /**
   * {@code onDone} learns once that the call is over, and whether it got to its end ({@code false}:
   * reset before its last answer).
   */
  ProcessCall(
      StreamProcessor processor,
      GrpcServerRequest<ProcessingRequest, ProcessingResponse> call,
      ProcessorEnvironment env,
      Consumer<Boolean> onDone) {
    this.processor = processor;
    this.call = call;
    this.env = env;
    this.onDone = onDone;
  }

  void start() {
    call.handler(this::answer);
    call.endHandler(v -> closed());
    call.exceptionHandler(
        error -> {
          // the stream is reset (a message over the size limit, Envoy gone): nothing to end
          boolean answered = ended;
          ended = true;
          processor.streamClosed();
          done(answered);
        });
  }

  private void answer(ProcessingRequest message) {
    if (ended) {
      // Envoy sends nothing once the call ended; a stray message has no stream to be answered on
      return;
    }
    long start = System.nanoTime();
    ProcessingResponse response = processor.process(message);
    env.observer().phaseTime(message.getRequestCase().name(), System.nanoTime() - start);
    if (processor.expectsNothingMore()) {
      ended = true;
      call.response().end(response);
      done(true);
    } else {
      call.response().write(response);
    }
  }

  /**
   * Envoy half-closed: after the call ended (nothing left to do), or before the exchange reached
   * its end, which the processor then reports and the server answers with the trailers.
   */
  private void closed() {
    processor.streamClosed();
    if (!ended) {
      ended = true;
      try {
        call.response().end();
      } catch (IllegalStateException reset) {
        // reset by the server as Envoy half-closed (a message over the size limit): ended already
      }
    }
    done(true);
  }

  private void done(boolean answered) {
    if (!done) {
      done = true;
      onDone.accept(answered);
    }
  }
}
