package io.aigw.deploy;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.util.Map;

/** What the commands' tests send an ExtProc as Envoy would: the Process method and its messages. */
public final class ExtProcWire {

  public static final ServiceMethod<ProcessingResponse, ProcessingRequest> PROCESS =
      ServiceMethod.client(
          ServiceName.create("envoy.service.ext_proc.v3.ExternalProcessor"),
          "Process",
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(ProcessingResponse.newBuilder()));

  private ExtProcWire() {}

  /** Request headers as Envoy sends them: each value in {@code raw_value}. */
  public static ProcessingRequest requestHeaders(Map<String, String> headers, boolean endOfStream) {
    HeaderMap.Builder map = HeaderMap.newBuilder();
    headers.forEach(
        (key, value) ->
            map.addHeaders(
                HeaderValue.newBuilder().setKey(key).setRawValue(ByteString.copyFromUtf8(value))));
    return ProcessingRequest.newBuilder()
        .setRequestHeaders(HttpHeaders.newBuilder().setHeaders(map).setEndOfStream(endOfStream))
        .build();
  }
}
