package io.aigw.extproc.processor;

import static io.aigw.extproc.processor.Exchanges.CHAT;
import static io.aigw.extproc.processor.Exchanges.requestBody;
import static io.aigw.extproc.processor.Exchanges.setHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.CredentialOverride;
import io.aigw.core.filterconfig.FilterConfig;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A request may bring its own backend credential (data-plane reference §4). */
class CredentialOverrideTest {

  private final RecordingObserver observer = new RecordingObserver();

  private StreamProcessor processor(CredentialOverride override, BackendAuth auth) {
    FilterConfig base = Exchanges.chatRoute();
    Backend backend =
        new Backend(
            "openai.default", new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"), auth, override);
    FilterConfig config = Exchanges.with(base, null, null, null, List.of(backend));
    RoutingTable table = FilterConfigAdapter.toRoutingTable(List.of(config)).table();
    return new StreamProcessor(
        table,
        new ProcessorEnvironment(
            () -> 1L,
            () -> 0.5,
            file -> Optional.of("sk-configured"),
            new BackendHealth(PassiveHealthPolicy.DEFAULT),
            observer));
  }

  private static BackendAuth apiKey() {
    return new BackendAuth.ApiKey(Exchanges.key("/secrets/openai/apiKey"));
  }

  private static CredentialOverride header(boolean fallback) {
    return new CredentialOverride(
        "x-aigw-api-key", null, null, fallback, List.of("x-aigw-api-key"));
  }

  private static ProcessingResponse send(StreamProcessor p, Map<String, String> headers) {
    p.process(Exchanges.requestHeaders("POST", "/v1/chat/completions", headers, false));
    return p.process(requestBody(CHAT));
  }

  @Test
  void aCredentialInTheConfiguredHeaderReplacesTheConfiguredOneAndIsRemoved() {
    ProcessingResponse reply =
        send(processor(header(false), apiKey()), Map.of("x-aigw-api-key", "sk-from-request"));
    CommonResponse common = reply.getRequestBody().getResponse();
    assertThat(setHeaders(common.getHeaderMutation()))
        .containsEntry("authorization", "Bearer sk-from-request");
    assertThat(common.getHeaderMutation().getRemoveHeadersList()).contains("x-aigw-api-key");
  }

  @Test
  void aHeaderNameConfiguredInUpperCaseFindsTheRequestsHeader() {
    CredentialOverride upper =
        new CredentialOverride("X-AIGW-API-Key", null, null, false, List.of("X-AIGW-API-Key"));
    ProcessingResponse reply =
        send(processor(upper, apiKey()), Map.of("x-aigw-api-key", "sk-from-request"));
    assertThat(setHeaders(reply.getRequestBody().getResponse().getHeaderMutation()))
        .containsEntry("authorization", "Bearer sk-from-request");
    assertThat(reply.getRequestBody().getResponse().getHeaderMutation().getRemoveHeadersList())
        .as("the caller's key does not reach the backend")
        .contains("x-aigw-api-key");
  }

  @Test
  void noCredentialInTheRequestFallsBackWhenAllowed() {
    ProcessingResponse reply = send(processor(header(true), apiKey()), Map.of());
    assertThat(setHeaders(reply.getRequestBody().getResponse().getHeaderMutation()))
        .containsEntry("authorization", "Bearer sk-configured");
  }

  @Test
  void noCredentialInTheRequestWithoutFallbackIsRefusedWith401() {
    ProcessingResponse reply = send(processor(header(false), apiKey()), Map.of());
    assertThat(reply.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(401);
    assertThat(reply.getImmediateResponse().getBody().toStringUtf8())
        .contains("missing upstream credential");
  }

  @Test
  void aCredentialInDynamicMetadataIsUsed() {
    CredentialOverride fromMetadata =
        new CredentialOverride(null, "auth.filter", "x-aigw-api-key", false, List.of());
    StreamProcessor p = processor(fromMetadata, apiKey());
    Struct ns =
        Struct.newBuilder()
            .putFields("x-aigw-api-key", Value.newBuilder().setStringValue("sk-meta").build())
            .build();
    ProcessingRequest headers =
        Exchanges.requestHeaders("POST", "/v1/chat/completions", Map.of(), false).toBuilder()
            .setMetadataContext(Metadata.newBuilder().putFilterMetadata("auth.filter", ns))
            .build();
    p.process(headers);
    ProcessingResponse reply = p.process(requestBody(CHAT));
    assertThat(setHeaders(reply.getRequestBody().getResponse().getHeaderMutation()))
        .containsEntry("authorization", "Bearer sk-meta");
  }

  @Test
  void awsKeysFromHeadersSignTheRequestAndHalfAKeyIsRefused() {
    CredentialOverride aws =
        new CredentialOverride(
            "x-aigw-aws-",
            null,
            null,
            false,
            List.of("x-aigw-aws-access-key-id", "x-aigw-aws-secret-access-key"));
    BackendAuth bedrock = new BackendAuth.Aws("us-east-1", null, null);
    ProcessingResponse signed =
        send(
            processor(aws, bedrock),
            Map.of(
                "x-aigw-aws-access-key-id", "AKIDREQUEST",
                "x-aigw-aws-secret-access-key", "secret"));
    assertThat(setHeaders(signed.getRequestBody().getResponse().getHeaderMutation()))
        .hasEntrySatisfying(
            "authorization",
            v -> assertThat(v).startsWith("AWS4-HMAC-SHA256 Credential=AKIDREQUEST/"));
    ProcessingResponse half =
        send(processor(aws, bedrock), Map.of("x-aigw-aws-access-key-id", "AKIDREQUEST"));
    assertThat(half.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(500);
  }
}
