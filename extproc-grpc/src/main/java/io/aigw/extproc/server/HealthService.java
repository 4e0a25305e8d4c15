package io.aigw.extproc.server;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@code grpc.health.v1.Health/Check} and {@code List}. The messages are tiny ({@code
 * HealthCheckRequest{string service = 1}}, {@code HealthCheckResponse{ServingStatus status = 1}},
 * {@code HealthListResponse{map<string, HealthCheckResponse> statuses = 1}}), so they are read and
 * written by hand instead of pulling in grpc-services. {@code List} names the one service, {@code
 * extproc}, as upstream; {@code Watch} is not served (UNIMPLEMENTED), as upstream.
 */
public final class HealthService {

  public static final ServiceName SERVICE = ServiceName.create("grpc.health.v1.Health");

  static final ServiceMethod<Buffer, Buffer> CHECK =
      ServiceMethod.server(
          SERVICE, "Check", GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);

  static final ServiceMethod<Buffer, Buffer> LIST =
      ServiceMethod.server(
          SERVICE, "List", GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);

  private static final String LISTED = "extproc";

  private static final Set<String> KNOWN =
      Set.of("", "extproc", ExtProcService.SERVICE.fullyQualifiedName());
  private static final int SERVING = 1;
  private static final int NOT_SERVING = 2;

  private final BooleanSupplier serving;

  /**
   * @param serving whether the server is ready (a config loaded, and not stopping)
   */
  public HealthService(BooleanSupplier serving) {
    this.serving = serving;
  }

  public void bind(GrpcServer server) {
    server.callHandler(CHECK, this::check);
    server.callHandler(LIST, this::list);
  }

  private void list(GrpcServerRequest<Buffer, Buffer> call) {
    call.handler(request -> call.response().end(Buffer.buffer(listed(status()))));
  }

  /** {@code statuses: {"extproc": {status}}}: one map entry, key 1 and value 2. */
  static byte[] listed(int status) {
    try {
      ByteArrayOutputStream entry = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(entry);
      out.writeString(1, LISTED);
      out.writeByteArray(2, checked(status));
      out.flush();
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      CodedOutputStream list = CodedOutputStream.newInstance(message);
      list.writeByteArray(1, entry.toByteArray());
      list.flush();
      return message.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code HealthCheckResponse{status}}. */
  private static byte[] checked(int status) {
    return new byte[] {0x08, (byte) status};
  }

  private int status() {
    return serving.getAsBoolean() ? SERVING : NOT_SERVING;
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
          call.response().end(Buffer.buffer(checked(status())));
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
