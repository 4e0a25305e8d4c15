package io.aigw.e2e.extproc;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Envoy's side of one ext_proc stream: each message sent is answered by exactly one response (Envoy
 * waits for it before going on), over real gRPC. When the server ends the call cleanly, Envoy goes
 * on without it: later messages are not sent and count as answered with no change, and closing
 * resets the stream instead of half-closing it.
 */
final class ExtProcClientStream {

  static final ServiceMethod<ProcessingResponse, ProcessingRequest> PROCESS =
      ServiceMethod.client(
          ServiceName.create("envoy.service.ext_proc.v3.ExternalProcessor"),
          "Process",
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(ProcessingResponse.newBuilder()));

  private final Deque<Promise<ProcessingResponse>> waiting = new ArrayDeque<>();
  private GrpcClientRequest<ProcessingRequest, ProcessingResponse> request;
  private Throwable failure;
  private boolean endedByServer;

  static Future<ExtProcClientStream> open(GrpcClient client, SocketAddress address) {
    ExtProcClientStream stream = new ExtProcClientStream();
    return client
        .request(address, PROCESS)
        .map(
            request -> {
              stream.request = request;
              request
                  .response()
                  .onSuccess(
                      response -> {
                        response.handler(stream::answer);
                        response.exceptionHandler(stream::fail);
                        response.endHandler(v -> stream.ended(response.status()));
                      })
                  .onFailure(stream::fail);
              return stream;
            });
  }

  private void answer(ProcessingResponse response) {
    Promise<ProcessingResponse> next = waiting.poll();
    if (next != null) {
      next.complete(response);
    }
  }

  private void ended(GrpcStatus status) {
    if (status != GrpcStatus.OK) {
      fail(new IllegalStateException("stream ended with " + status));
      return;
    }
    endedByServer = true;
    Promise<ProcessingResponse> next;
    while ((next = waiting.poll()) != null) {
      next.complete(ProcessingResponse.getDefaultInstance());
    }
  }

  private void fail(Throwable error) {
    failure = error;
    Promise<ProcessingResponse> next;
    while ((next = waiting.poll()) != null) {
      next.fail(error);
    }
  }

  /** Sends one message; the future is its answer. */
  Future<ProcessingResponse> send(ProcessingRequest message) {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    if (endedByServer) {
      return Future.succeededFuture(ProcessingResponse.getDefaultInstance());
    }
    Promise<ProcessingResponse> answer = Promise.promise();
    waiting.add(answer);
    request.write(message);
    return answer.future();
  }

  void close() {
    if (request == null) {
      return;
    }
    if (endedByServer) {
      request.cancel();
    } else {
      request.end();
    }
  }
}
