package io.aigw.extproc.server;

import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A grpc-java client stream to the ExtProc: send one message, take its answer. */
final class GrpcExchange implements AutoCloseable {

  private final LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
  private final StreamObserver<ProcessingRequest> requests;

  GrpcExchange(ManagedChannel channel) {
    requests =
        ExternalProcessorGrpc.newStub(channel)
            .process(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ProcessingResponse value) {
                    answers.add(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answers.add(t);
                  }

                  @Override
                  public void onCompleted() {
                    answers.add("completed");
                  }
                });
  }

  static ManagedChannel channel(int port) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
        .maxInboundMessageSize(64 * 1024 * 1024)
        .build();
  }

  ProcessingResponse send(ProcessingRequest request) throws InterruptedException {
    requests.onNext(request);
    Object answer = answers.poll(10, TimeUnit.SECONDS);
    if (answer instanceof ProcessingResponse response) {
      return response;
    }
    throw new AssertionError("no answer but " + answer);
  }

  /** Waits for the server to end the call without half-closing it; null when it does not. */
  Object awaitEnd(long millis) throws InterruptedException {
    return answers.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** Half-closes and waits for the server to end the call. */
  Object finish() throws InterruptedException {
    requests.onCompleted();
    return answers.poll(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    try {
      requests.onCompleted();
    } catch (IllegalStateException alreadyClosed) {
      // finished already
    }
  }
}
