package io.aigw.bench;

import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.extproc.auth.FileCredentialSource;
import io.aigw.extproc.processor.BackendHealth;
import io.aigw.extproc.processor.ExchangeObserver;
import io.aigw.extproc.processor.FilterConfigAdapter;
import io.aigw.extproc.processor.PassiveHealthPolicy;
import io.aigw.extproc.processor.ProcessorEnvironment;
import io.aigw.extproc.processor.StreamProcessor;
import io.aigw.extproc.server.ExtProcService;
import io.aigw.extproc.server.ExtProcVerticle;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The floor under the ExtProc's latency: the ExtProc's Vert.x gRPC listener giving the ExtProc's
 * answers, without computing them. Each message of {@link ExtProcWorkload} is answered with what
 * the real {@link StreamProcessor} answered to it once at start, and the call ends with the last
 * answer as the ExtProc ends it, so the bytes on the wire are the same and only the processing
 * (routing, credentials, JSON, usage, CEL, metadata, metrics) is missing. Made for the buffered
 * exchange: a streamed one gets the same answers (the Java harness's streaming warm-up runs, its
 * streaming figures mean nothing here).
 */
final class ExtProcFloorVerticle extends VerticleBase {

  private final int port;
  private final long maxMessageBytes;
  private final Map<ProcessingRequest.RequestCase, ProcessingResponse> answers;

  ExtProcFloorVerticle(
      int port,
      long maxMessageBytes,
      Map<ProcessingRequest.RequestCase, ProcessingResponse> answers) {
    this.port = port;
    this.maxMessageBytes = maxMessageBytes;
    this.answers = answers;
  }

  /** The real processor's answers to the buffered exchange of the workload, by message kind. */
  static Map<ProcessingRequest.RequestCase, ProcessingResponse> answers(FilterConfig config) {
    ProcessorEnvironment env =
        new ProcessorEnvironment(
            System::nanoTime,
            () -> 0.5,
            new FileCredentialSource(),
            new BackendHealth(PassiveHealthPolicy.DEFAULT),
            new ExchangeObserver() {});
    StreamProcessor processor =
        new StreamProcessor(FilterConfigAdapter.toRoutingTable(List.of(config)).table(), env);
    ExtProcWorkload.Messages messages = new ExtProcWorkload.Messages();
    Map<ProcessingRequest.RequestCase, ProcessingResponse> answers =
        new EnumMap<>(ProcessingRequest.RequestCase.class);
    for (ProcessingRequest message :
        List.of(
            messages.requestHeaders,
            messages.requestBody,
            messages.responseHeaders,
            messages.responseBody)) {
      answers.put(message.getRequestCase(), processor.process(message));
    }
    if (!processor.expectsNothingMore()) {
      throw new IllegalStateException("the workload's exchange did not reach its end");
    }
    return answers;
  }

  @Override
  public Future<?> start() {
    GrpcServer grpc =
        GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(maxMessageBytes));
    grpc.callHandler(
        ExtProcService.PROCESS,
        call ->
            call.handler(
                message -> {
                  ProcessingResponse answer = answers.get(message.getRequestCase());
                  if (message.getResponseBody().getEndOfStream()) {
                    call.response().end(answer);
                  } else {
                    call.response().write(answer);
                  }
                }));
    return vertx
        .createHttpServer(ExtProcVerticle.listenerOptions("127.0.0.1", port))
        .requestHandler(grpc)
        .listen();
  }
}
