package io.aigw.e2e.extproc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.CredentialOverride;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.extproc.envoy.BackendEndpoint;
import io.aigw.extproc.envoy.EnvoyBootstrap;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A credential that a filter in front puts in dynamic metadata reaches the backend, through the
 * namespaces {@code aigw envoy-bootstrap} has Envoy forward to the ExtProc.
 */
class CredentialOverrideE2E {

  @TempDir Path dir;

  private static final String NAMESPACE = "auth.filter";

  @Test
  void aKeyAFilterInFrontPutInMetadataReachesTheBackendOnlyWhenItsNamespaceIsForwarded()
      throws Exception {
    Path key = dir.resolve("key");
    java.nio.file.Files.writeString(key, "sk-configured");
    Backend configured = GatewayFixture.backend("openai.default", key);
    Backend openAi =
        new Backend(
            configured.name(),
            configured.schema(),
            configured.auth(),
            new CredentialOverride(null, NAMESPACE, "x-aigw-api-key", false, List.of()));
    FilterConfig config =
        GatewayFixture.route(
            "chat",
            List.of(
                GatewayFixture.rule(
                    GatewayFixture.MODEL, GatewayFixture.ref("openai.default", 1, 0))),
            List.of(openAi));
    try (GatewayFixture gateway = new GatewayFixture(dir, config)) {
      FakeProvider provider = gateway.provider("openai.default");
      // what a JWT filter in front would put in dynamic metadata for the caller
      java.util.function.Function<io.vertx.core.http.HttpServerRequest, Map<String, Struct>>
          filter =
              request ->
                  Map.of(
                      NAMESPACE,
                      Struct.newBuilder()
                          .putFields(
                              "x-aigw-api-key",
                              Value.newBuilder()
                                  .setStringValue("sk-" + request.getHeader("x-user"))
                                  .build())
                          .build());

      gateway.proxy.forwarding(forwardedBy(config), filter);
      HttpResponse<String> forwarded = chatAs(gateway, "alice");
      assertThat(forwarded.statusCode()).isEqualTo(200);
      assertThat(provider.received.get(0).headers())
          .containsEntry("authorization", "Bearer sk-alice");

      gateway.proxy.forwarding(Set.of(), filter);
      HttpResponse<String> withheld = chatAs(gateway, "bob");
      assertThat(withheld.statusCode())
          .as(
              "without the namespace forwarded the ExtProc sees no credential, and may not fall back")
          .isEqualTo(401);
      assertThat(provider.received).hasSize(1);
    }
  }

  /** The namespaces the bootstrap of {@code config} has Envoy forward to the ExtProc. */
  private static Set<String> forwardedBy(FilterConfig config) throws Exception {
    ExternalProcessor extProc =
        EnvoyBootstrap.extProcFilter(
            EnvoyBootstrap.parse(
                EnvoyBootstrap.render(
                    List.of(config),
                    List.of(),
                    Map.of("openai.default", BackendEndpoint.parse("http://127.0.0.1:8080")),
                    "127.0.0.1",
                    10000,
                    1063)));
    return Set.copyOf(extProc.getMetadataOptions().getForwardingNamespaces().getUntypedList());
  }

  private static HttpResponse<String> chatAs(GatewayFixture gateway, String user) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
            .header("content-type", "application/json")
            .header("x-user", user)
            .POST(HttpRequest.BodyPublishers.ofString(Requests.CHAT_BASIC))
            .build();
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(request, HttpResponse.BodyHandlers.ofString());
  }
}
