package io.aigw.deploy.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.deploy.controller.MockApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FabricObjectApiIT {

  static final String CONFIG_MAP =
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\","
          + "\"namespace\":\"team-a\",\"labels\":{\"app.kubernetes.io/managed-by\":\"aigw\"}},"
          + "\"data\":{\"k\":\"%s\"}}";

  final Vertx vertx = Vertx.vertx();
  MockApiServer server;

  @AfterEach
  void close() throws Exception {
    server.close();
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  FabricObjectApi api(MockApiServer mock) {
    server = mock;
    KubernetesClient client = mock.client(vertx);
    return new FabricObjectApi(client, Duration.ofSeconds(5));
  }

  static ApiResponse await(java.util.concurrent.CompletionStage<ApiResponse> stage)
      throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void createsReadsListsByLabelReplacesAndDeletesOnTheCrudServer() throws Exception {
    FabricObjectApi api = api(MockApiServer.crud());
    ResourceType type = ResourceType.CONFIG_MAP;

    assertThat(await(api.create(type, "team-a", CONFIG_MAP.formatted("1"))).code()).isEqualTo(201);
    assertThat(await(api.create(type, "team-a", CONFIG_MAP.formatted("1"))).code()).isEqualTo(409);
    JsonNode live = await(api.get(type, "team-a", "c")).json();
    assertThat(live.at("/data/k").asText()).isEqualTo("1");

    ApiResponse listed = await(api.list(type, "", KubernetesApplier.MANAGED_SELECTOR, ""));
    assertThat(listed.json().path("items")).hasSize(1);
    assertThat(
            await(api.list(type, "", "app.kubernetes.io/managed-by=other", ""))
                .json()
                .path("items"))
        .isEmpty();

    String stale =
        CONFIG_MAP
            .formatted("2")
            .replace("\"name\":\"c\"", "\"name\":\"c\",\"resourceVersion\":\"999\"");
    assertThat(await(api.replace(type, "team-a", "c", stale)).code()).isEqualTo(409);
    String current =
        CONFIG_MAP
            .formatted("2")
            .replace(
                "\"name\":\"c\"",
                "\"name\":\"c\",\"resourceVersion\":\""
                    + live.at("/metadata/resourceVersion").asText()
                    + "\"");
    assertThat(await(api.replace(type, "team-a", "c", current)).code()).isEqualTo(200);

    assertThat(await(api.delete(type, "team-a", "c")).ok()).isTrue();
    assertThat(await(api.get(type, "team-a", "c")).notFound()).isTrue();
  }

  @Test
  void theCrudServerRefusesServerSideApplyAsTheFallbackExpects() throws Exception {
    FabricObjectApi api = api(MockApiServer.crud());
    ResourceType type = ResourceType.CONFIG_MAP;

    assertThat(await(api.apply(type, "team-a", "c", CONFIG_MAP.formatted("1"), true)).code())
        .isEqualTo(404);
    await(api.create(type, "team-a", CONFIG_MAP.formatted("1")));
    assertThat(await(api.apply(type, "team-a", "c", CONFIG_MAP.formatted("2"), true)).code())
        .isEqualTo(415);
  }

  @Test
  void writesStatusWithAMergePatchOfTheSubresource() throws Exception {
    FabricObjectApi api = api(MockApiServer.crud());
    ResourceType type = ResourceType.AI_GATEWAY_ROUTE;
    String route =
        "{\"apiVersion\":\"aigateway.envoyproxy.io/v1beta1\",\"kind\":\"AIGatewayRoute\","
            + "\"metadata\":{\"name\":\"r\",\"namespace\":\"team-a\"},\"spec\":{\"rules\":[]}}";
    await(api.create(type, "team-a", route));

    ApiResponse patched =
        await(
            api.patchStatus(
                type, "team-a", "r", "{\"status\":{\"conditions\":[{\"type\":\"Accepted\"}]}}"));

    assertThat(patched.ok()).isTrue();
    assertThat(await(api.get(type, "team-a", "r")).json().at("/status/conditions/0/type").asText())
        .isEqualTo("Accepted");
  }

  @Test
  void serverSideApplySendsAnApplyPatchWithTheFieldManagerAndForce() throws Exception {
    FabricObjectApi api = api(MockApiServer.expectations());
    server
        .server
        .expect()
        .patch()
        .withPath(
            "/apis/gateway.networking.k8s.io/v1/namespaces/team-a/httproutes/chat?fieldManager=aigw&force=true")
        .andReturn(201, "{\"kind\":\"HTTPRoute\",\"metadata\":{\"name\":\"chat\"}}")
        .once();

    ApiResponse response =
        await(
            api.apply(ResourceType.HTTP_ROUTE, "team-a", "chat", "{\"kind\":\"HTTPRoute\"}", true));

    assertThat(response.created()).isTrue();
    RecordedRequest request = server.server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("PATCH");
    assertThat(request.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
    assertThat(request.getBody().readUtf8()).isEqualTo("{\"kind\":\"HTTPRoute\"}");
  }

  @Test
  void anErrorAnswerCarriesTheServersMessage() throws Exception {
    FabricObjectApi api = api(MockApiServer.expectations());
    server
        .server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/team-a/configmaps/c")
        .andReturn(403, "{\"kind\":\"Status\",\"message\":\"configmaps \\\"c\\\" is forbidden\"}")
        .once();

    ApiResponse response = await(api.get(ResourceType.CONFIG_MAP, "team-a", "c"));

    assertThat(response.retryable()).isFalse();
    assertThat(response.reason()).isEqualTo("403 configmaps \"c\" is forbidden");
  }
}
