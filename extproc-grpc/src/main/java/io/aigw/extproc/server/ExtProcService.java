package io.aigw.extproc.server;

import io.aigw.extproc.processor.ProcessorEnvironment;
import io.aigw.extproc.processor.RoutingTable;
import io.aigw.extproc.processor.StreamProcessor;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.function.Supplier;

/**
 * The gRPC adapter of {@code envoy.service.ext_proc.v3.ExternalProcessor/Process}: one {@link
 * StreamProcessor} per call, over the routing table current when the call starts. Written against
 * the message classes of the Envoy API jar with a hand-written {@link ServiceMethod}, no codegen.
 */
public final class ExtProcService {

  public static final ServiceName SERVICE =
      ServiceName.create("envoy.service.ext_proc.v3.ExternalProcessor");

  /** The bidirectional {@code Process} method as this server serves it. */
  public static final ServiceMethod<ProcessingRequest, ProcessingResponse> PROCESS =
      ServiceMethod.server(
          SERVICE,
          "Process",
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(ProcessingRequest.newBuilder()));

  private final Supplier<RoutingTable> table;
  private final ProcessorEnvironment env;
  // touched on the verticle's event loop only, which serves its calls and stops it
  private int open;
  private boolean draining;
  private int cut;

  public ExtProcService(Supplier<RoutingTable> table, ProcessorEnvironment env) {
    this.table = table;
    this.env = env;
  }

  /** Registers the method on {@code server}. */
  public void bind(GrpcServer server) {
    server.callHandler(PROCESS, this::handle);
  }

  private void handle(GrpcServerRequest<ProcessingRequest, ProcessingResponse> call) {
    open++;
    new ProcessCall(new StreamProcessor(table.get(), env), call, env, this::callEnded).start();
  }

  private void callEnded(boolean answered) {
    open--;
    if (!answered && draining) {
      cut++;
    }
  }

  /** From now on a call that ends without its last answer was cut by the stop. */
  void draining() {
    draining = true;
  }

  /**
   * Calls cut since {@link #draining}: reset before their last answer, or still open (their reset
   * not yet seen).
   */
  int streamsCut() {
    return cut + open;
  }
}
