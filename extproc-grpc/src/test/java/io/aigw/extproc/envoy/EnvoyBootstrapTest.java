package io.aigw.extproc.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.filterconfig.ApiPaths;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.CredentialOverride;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.extproc.processor.Exchanges;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvoyBootstrapTest {

  private static FilterConfig twoBackends() {
    FilterConfig chat = Exchanges.chatRoute();
    return FilterConfig.of(
        "default",
        "chat",
        List.of(),
        chat.rules(),
        List.of(Exchanges.openAi("openai.default", null), Exchanges.openAi("local.default", null)),
        List.of(),
        List.of());
  }

  @Test
  void rendersABootstrapEnvoyAcceptsWiredToTheExtProcAndEveryBackend() throws Exception {
    String json =
        EnvoyBootstrap.render(
            List.of(twoBackends()),
            List.of(
                new BackendRoute(
                    "openai.default",
                    Optional.of("90s/1500ms"),
                    Optional.of(Duration.ofMillis(1500))),
                BackendRoute.first("local.default", Duration.ofSeconds(60)),
                BackendRoute.first("openai.default", Duration.ofSeconds(60))),
            Map.of(
                "openai.default", BackendEndpoint.parse("https://api.openai.com"),
                "local.default", BackendEndpoint.parse("http://127.0.0.1:8080")),
            "127.0.0.1",
            10000,
            1063);
    Bootstrap bootstrap = EnvoyBootstrap.parse(json);
    var listener = bootstrap.getStaticResources().getListeners(0);
    assertThat(listener.getAddress().getSocketAddress().getPortValue()).isEqualTo(10000);
    assertThat(listener.getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
    HttpConnectionManager hcm = EnvoyBootstrap.connectionManager(bootstrap);
    ExternalProcessor extProc = EnvoyBootstrap.extProcFilter(bootstrap);
    assertThat(extProc.getGrpcService().getEnvoyGrpc().getClusterName()).isEqualTo("aigw-extproc");
    assertThat(extProc.getAllowModeOverride()).isTrue();
    assertThat(extProc.getProcessingMode().getRequestBodyMode())
        .isEqualTo(ProcessingMode.BodySendMode.BUFFERED);
    assertThat(extProc.getProcessingMode().getResponseBodyMode())
        .isEqualTo(ProcessingMode.BodySendMode.BUFFERED);
    assertThat(extProc.getProcessingMode().getRequestHeaderMode())
        .isEqualTo(ProcessingMode.HeaderSendMode.SEND);
    assertThat(extProc.getProcessingMode().getResponseHeaderMode())
        .isEqualTo(ProcessingMode.HeaderSendMode.SEND);
    assertThat(extProc.getProcessingMode().getRequestTrailerMode())
        .isEqualTo(ProcessingMode.HeaderSendMode.SKIP);
    assertThat(extProc.getProcessingMode().getResponseTrailerMode())
        .isEqualTo(ProcessingMode.HeaderSendMode.SKIP);
    assertThat(extProc.getMetadataOptions().getReceivingNamespaces().getUntypedList())
        .containsExactly("io.envoy.ai_gateway");
    assertThat(extProc.getMetadataOptions().hasForwardingNamespaces())
        .as("no credential override reads metadata, so none is sent")
        .isFalse();
    assertThat(hcm.getHttpFilters(1).getName()).isEqualTo("envoy.filters.http.router");

    List<Route> routes = hcm.getRouteConfig().getVirtualHosts(0).getRoutesList();
    assertThat(routes)
        .as("in the order given, Envoy taking the first that matches")
        .extracting(Route::getName)
        .containsExactly(
            "openai.default/90s/1500ms", "local.default", "openai.default", "route-not-found");
    Route openai = routes.get(2);
    assertThat(openai.getMatch().getHeadersList())
        .singleElement()
        .satisfies(
            header -> {
              assertThat(header.getName()).isEqualTo("x-ai-eg-selected-backend");
              assertThat(header.getStringMatch().getExact()).isEqualTo("openai.default");
            });
    assertThat(openai.getRoute().getCluster()).isEqualTo("aigw-backend-openai.default");
    assertThat(openai.getRoute().getAutoHostRewrite().getValue()).isTrue();
    assertThat(openai.getRoute().getTimeout().getSeconds()).isEqualTo(60);
    assertThat(openai.getRequestHeadersToRemoveList()).isEmpty();
    Route further = routes.get(0);
    assertThat(further.getMatch().getHeadersList())
        .extracting(h -> h.getName() + "=" + h.getStringMatch().getExact())
        .containsExactly(
            "x-ai-eg-selected-backend=openai.default", "x-aigw-backend-rule=90s/1500ms");
    assertThat(further.getRequestHeadersToRemoveList()).containsExactly("x-aigw-backend-rule");
    assertThat(further.getRoute().getCluster()).isEqualTo("aigw-backend-openai.default");
    assertThat(further.getRoute().getTimeout())
        .isEqualTo(
            com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(500_000_000).build());
    assertThat(routes.get(3).getDirectResponse().getStatus()).isEqualTo(404);

    Map<String, Cluster> clusters = new java.util.HashMap<>();
    bootstrap.getStaticResources().getClustersList().forEach(c -> clusters.put(c.getName(), c));
    Cluster extProcCluster = clusters.get("aigw-extproc");
    assertThat(
            extProcCluster
                .getLoadAssignment()
                .getEndpoints(0)
                .getLbEndpoints(0)
                .getEndpoint()
                .getAddress()
                .getSocketAddress()
                .getPortValue())
        .isEqualTo(1063);
    assertThat(
            extProcCluster
                .getTypedExtensionProtocolOptionsMap()
                .get("envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
                .unpack(HttpProtocolOptions.class)
                .getExplicitHttpConfig()
                .hasHttp2ProtocolOptions())
        .isTrue();
    Cluster openAiCluster = clusters.get("aigw-backend-openai.default");
    assertThat(openAiCluster.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
    UpstreamTlsContext tls =
        openAiCluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    assertThat(tls.getSni()).isEqualTo("api.openai.com");
    var validation = tls.getCommonTlsContext().getValidationContext();
    assertThat(validation.getTrustedCa().getFilename())
        .as("the provider's certificate is checked against the system's CAs")
        .isEqualTo("/etc/ssl/certs/ca-certificates.crt");
    assertThat(validation.getMatchTypedSubjectAltNamesList())
        .singleElement()
        .satisfies(
            san -> {
              assertThat(san.getSanType().name()).isEqualTo("DNS");
              assertThat(san.getMatcher().getExact()).isEqualTo("api.openai.com");
            });
    Cluster local = clusters.get("aigw-backend-local.default");
    assertThat(local.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
    assertThat(local.hasTransportSocket()).isFalse();
  }

  @Test
  void theNamespacesCredentialOverridesReadAreForwardedToTheExtProc() throws Exception {
    FilterConfig chat = Exchanges.chatRoute();
    FilterConfig config =
        FilterConfig.of(
            "default",
            "chat",
            List.of(),
            chat.rules(),
            List.of(
                new Backend(
                    "openai.default",
                    new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"),
                    null,
                    new CredentialOverride(null, "jwt.claims", "api-key", true, List.of())),
                new Backend(
                    "local.default",
                    new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"),
                    null,
                    new CredentialOverride(null, "auth.filter", "api-key", true, List.of()))),
            List.of(),
            List.of());
    Bootstrap bootstrap =
        EnvoyBootstrap.parse(
            EnvoyBootstrap.render(
                List.of(config),
                List.of(),
                Map.of(
                    "openai.default", BackendEndpoint.parse("https://api.openai.com"),
                    "local.default", BackendEndpoint.parse("http://127.0.0.1:8080")),
                "127.0.0.1",
                10000,
                1063));
    ExternalProcessor extProc = EnvoyBootstrap.extProcFilter(bootstrap);
    assertThat(extProc.getMetadataOptions().getForwardingNamespaces().getUntypedList())
        .containsExactly("auth.filter", "jwt.claims");
  }

  @Test
  void theCatchAllRouteTakesEveryPathWhateverTheRootPrefix() throws Exception {
    Map<String, BackendEndpoint> endpoints =
        Map.of(
            "openai.default", BackendEndpoint.parse("https://api.openai.com"),
            "local.default", BackendEndpoint.parse("http://127.0.0.1:8080"));
    FilterConfig prefixed = twoBackends().withApiPaths(ApiPaths.parse("/ai", ""));
    List<Route> routes =
        EnvoyBootstrap.connectionManager(
                EnvoyBootstrap.parse(
                    EnvoyBootstrap.render(
                        List.of(prefixed),
                        List.of(BackendRoute.first("openai.default", Duration.ofSeconds(60))),
                        endpoints,
                        "127.0.0.1",
                        10000,
                        1063)))
            .getRouteConfig()
            .getVirtualHosts(0)
            .getRoutesList();
    // both take requests the ExtProc sent to the provider's path, outside the root; the filter
    // sees every request, and answers the others itself
    assertThat(routes.get(1).getName()).isEqualTo("route-not-found");
    assertThat(routes.get(1).getMatch().getPrefix()).isEqualTo("/");
    assertThat(routes.get(0).getMatch().getPrefix()).isEqualTo("/");
  }

  @Test
  void theParserRejectsUnknownFieldsSoTheCheckIsReal() {
    assertThatThrownBy(() -> EnvoyBootstrap.parse("{\"static_resources\":{\"listenerz\":[]}}"))
        .isInstanceOf(com.google.protobuf.InvalidProtocolBufferException.class);
  }

  @Test
  void aBackendWithoutAnEndpointIsNamed() {
    assertThatThrownBy(
            () ->
                EnvoyBootstrap.render(
                    List.of(twoBackends()), List.of(), Map.of(), "127.0.0.1", 10000, 1063))
        .hasMessageContaining("local.default")
        .hasMessageContaining("openai.default");
  }

  @Test
  void parsesEndpointUrls() {
    assertThat(BackendEndpoint.parse("https://x.example.com/v1"))
        .isEqualTo(new BackendEndpoint("x.example.com", 443, true));
    assertThat(BackendEndpoint.parse("http://h:81")).isEqualTo(new BackendEndpoint("h", 81, false));
    assertThat(BackendEndpoint.of("h", 443).tls()).isTrue();
  }
}
