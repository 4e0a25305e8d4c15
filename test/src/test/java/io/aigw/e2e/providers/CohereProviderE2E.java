package io.aigw.e2e.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.e2e.extproc.RecordedExchange;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cohere's rerank API through the Envoy-like proxy and the ExtProc: {@code /cohere/v2/rerank} to
 * the backend's {@code /v2/rerank} with the key from the mounted Secret as a bearer token and the
 * model overridden, the answer passed through, its {@code meta.tokens} as costs. No Cohere SDK is
 * on the class path, so a plain HTTP client plays the application; the answer has Cohere's
 * documented shape.
 */
class CohereProviderE2E {

  private static final String BACKEND_KEY = "cohere-key-1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ANSWER =
      "{\"id\":\"07734bd2-2473-4f07-94e1-0d9f0e6843cf\",\"results\":[{\"index\":1,"
          + "\"relevance_score\":0.9},{\"index\":0,\"relevance_score\":0.1}],\"meta\":{"
          + "\"api_version\":{\"version\":\"2\"},\"billed_units\":{\"search_units\":1},"
          + "\"tokens\":{\"input_tokens\":38,\"output_tokens\":0}}}";

  @TempDir Path dir;
  private ProviderGateway gateway;
  private FakeEndpoint cohere;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    Path key = dir.resolve("cohere-key");
    Files.writeString(key, BACKEND_KEY + "\n");
    gateway =
        ProviderGateway.start(
            dir,
            ProviderGateway.route(
                "rerank",
                "cohere",
                new ApiSchema(ApiSchema.Name.Cohere, "v2", null),
                new BackendAuth.ApiKey(ProviderGateway.credential(key, "cohere", "apiKey")),
                "rerank-v3.5"));
    cohere = FakeEndpoint.start(gateway.vertx(), CohereProviderE2E::answer);
    gateway.route("cohere.default", cohere.port());
  }

  @AfterEach
  void stop() throws Exception {
    cohere.close();
    gateway.close();
  }

  private static void answer(FakeEndpoint.Received request, HttpServerResponse response) {
    response.putHeader("content-type", "application/json");
    if (!("Bearer " + BACKEND_KEY).equals(request.headers().get("authorization"))) {
      response.setStatusCode(401).end("{\"message\":\"invalid api token\"}");
      return;
    }
    if (request.json().path("documents").isEmpty()) {
      response.setStatusCode(400).end("{\"message\":\"invalid request: documents is empty\"}");
      return;
    }
    response.end(ANSWER);
  }

  private HttpResponse<String> rerank(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.origin() + "/cohere/v2/rerank"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRerankReachesCohereWithItsKeyAndTheOverriddenModelAndItsTokensAreCosts() throws Exception {
    HttpResponse<String> response =
        rerank(
            "{\"model\":\"rerank\",\"query\":\"capital of the US?\",\"top_n\":2,"
                + "\"documents\":[\"Carson City is in Nevada.\",\"Washington, D.C. is the capital.\"]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(ANSWER));

    FakeEndpoint.Received received = cohere.requests().get(0);
    assertThat(received.uri()).isEqualTo("/v2/rerank");
    assertThat(received.headers()).containsEntry("authorization", "Bearer " + BACKEND_KEY);
    JsonNode sent = received.json();
    assertThat(sent.path("model").asText()).isEqualTo("rerank-v3.5");
    assertThat(sent.path("top_n").asInt()).isEqualTo(2);
    assertThat(sent.path("documents")).hasSize(2);

    RecordedExchange exchange = gateway.exchanges().get(0);
    assertThat(exchange.selectedBackend()).hasValue("cohere.default");
    assertThat(exchange.number("input_token")).isEqualTo(38);
    assertThat(exchange.number("output_token")).isEqualTo(0);
    assertThat(exchange.number("total_token")).isEqualTo(38);
  }

  @Test
  void cohereRefusingARequestReachesTheClientAsItSaidIt() throws Exception {
    HttpResponse<String> response =
        rerank("{\"model\":\"rerank\",\"query\":\"q\",\"documents\":[]}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("documents is empty");
  }

  @Test
  void aRerankWithoutAModelIsRefusedBeforeAnyBackend() throws Exception {
    HttpResponse<String> response = rerank("{\"query\":\"q\",\"documents\":[\"a\"]}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText())
        .isEqualTo("missing_model");
    assertThat(cohere.requests()).isEmpty();
  }
}
