package io.aigw.extproc.processor;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.aigw.core.filterconfig.ApiFamily;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.TrailersResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Reading and building the ext_proc protobuf messages. */
final class ProtoMessages {

  private ProtoMessages() {}

  /**
   * Headers as a map with lower-case names: {@code value}, else {@code raw_value} as UTF-8; a
   * repeated name keeps its last value.
   */
  static Map<String, String> headers(HeaderMap map) {
    Map<String, String> out = new HashMap<>(map.getHeadersCount() * 2);
    for (HeaderValue header : map.getHeadersList()) {
      String value =
          header.getValue().isEmpty()
              ? header.getRawValue().toString(StandardCharsets.UTF_8)
              : header.getValue();
      out.put(header.getKey().toLowerCase(Locale.ROOT), value);
    }
    return out;
  }

  static HeaderValueOption set(String name, String value) {
    return HeaderValueOption.newBuilder()
        .setHeader(
            HeaderValue.newBuilder().setKey(name).setRawValue(ByteString.copyFromUtf8(value)))
        .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
        .build();
  }

  /** Answers {@code error} to a client of {@code family}'s API, in the shape it reads. */
  static ProcessingResponse immediate(ClientError error, ApiFamily family) {
    byte[] body = error.bodyFor(family);
    HeaderMutation.Builder headers =
        HeaderMutation.newBuilder()
            .addSetHeaders(set("content-type", "application/json"))
            .addSetHeaders(set("content-length", Integer.toString(body.length)));
    if (error.retryAfterSeconds() > 0) {
      headers.addSetHeaders(set("retry-after", Integer.toString(error.retryAfterSeconds())));
    }
    return immediate(error.status(), headers.build(), body, error.code());
  }

  static ProcessingResponse immediate(int status, HeaderMutation headers, byte[] body, String why) {
    return ProcessingResponse.newBuilder()
        .setImmediateResponse(
            ImmediateResponse.newBuilder()
                .setStatus(HttpStatus.newBuilder().setCodeValue(status))
                .setHeaders(headers)
                .setBody(ByteString.copyFrom(body))
                .setDetails(why))
        .build();
  }

  /** The empty answer of the message's kind: continue unchanged. */
  static ProcessingResponse passThrough(ProcessingRequest request) {
    ProcessingResponse.Builder out = ProcessingResponse.newBuilder();
    switch (request.getRequestCase()) {
      case REQUEST_HEADERS -> out.setRequestHeaders(HeadersResponse.getDefaultInstance());
      case REQUEST_BODY -> out.setRequestBody(BodyResponse.getDefaultInstance());
      case RESPONSE_HEADERS -> out.setResponseHeaders(HeadersResponse.getDefaultInstance());
      case RESPONSE_BODY -> out.setResponseBody(BodyResponse.getDefaultInstance());
      case REQUEST_TRAILERS -> out.setRequestTrailers(TrailersResponse.getDefaultInstance());
      case RESPONSE_TRAILERS -> out.setResponseTrailers(TrailersResponse.getDefaultInstance());
      default -> {
        // nothing to answer to: an empty response
      }
    }
    return out.build();
  }

  static Value number(double value) {
    return Value.newBuilder().setNumberValue(value).build();
  }

  static Value string(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }

  /** {@code {namespace: fields}} as Envoy expects dynamic metadata. */
  static Struct metadata(String namespace, Map<String, Value> fields) {
    Struct inner = Struct.newBuilder().putAllFields(fields).build();
    return Struct.newBuilder()
        .putFields(namespace, Value.newBuilder().setStructValue(inner).build())
        .build();
  }
}
