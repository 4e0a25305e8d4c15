package io.aigw.extproc.server;

import com.google.protobuf.CodedInputStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.io.IOException;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@code grpc.health.v1.Health/Check}. The two messages are tiny ({@code HealthCheckRequest{string
 * service = 1}}, {@code HealthCheckResponse{ServingStatus status = 1}}), so they are read and
 * written by hand instead of pulling in grpc-services. {@code Watch} is not served (UNIMPLEMENTED),
 * as upstream.
 */
public final class HealthService {

  public static final ServiceName SERVICE = ServiceName.create("grpc.health.v1.Health");

  static final ServiceMethod<Buffer, Buffer> CHECK =
      ServiceMethod.server(
          SERVICE, "Check", GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);

  private static final Set<String> KNOWN =
      Set.of("", "extproc", ExtProcService.SERVICE.fullyQualifiedName());
  private static final int SERVING = 1;
  private static final int NOT_SERVING = 2;

  private final BooleanSupplier serving;

  /**
   * @param serving whether the server is ready (a config loaded)
   */
  public HealthService(BooleanSupplier serving) {
    this.serving = serving;
  }

  public void bind(GrpcServer server) {
    server.callHandler(CHECK, this::check);
  }

  private void check(GrpcServerRequest<Buffer, Buffer> call) {
    call.handler(
        request -> {
          String service;
          try {
            service = serviceOf(request.getBytes());
          } catch (IOException e) {
            call.response().status(GrpcStatus.INVALID_ARGUMENT).end();
            return;
          }
          if (!KNOWN.contains(service)) {
            call.response().status(GrpcStatus.NOT_FOUND).end();
            return;
          }
          int status = serving.getAsBoolean() ? SERVING : NOT_SERVING;
          call.response().end(Buffer.buffer(new byte[] {0x08, (byte) status}));
        });
  }

  static String serviceOf(byte[] message) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(message);
    String service = "";
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == 10) {
        service = in.readStringRequireUtf8();
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    return service;
  }
}
