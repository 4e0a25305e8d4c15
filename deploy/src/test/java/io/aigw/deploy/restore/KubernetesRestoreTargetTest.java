package io.aigw.deploy.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.admin.api.RestoreException;
import io.aigw.admin.api.RestoreOutcome;
import io.aigw.admin.api.RestoredObject;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import io.aigw.deploy.apply.ApiResponse;
import io.aigw.deploy.apply.ObjectApi;
import io.aigw.deploy.apply.ResourceType;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class KubernetesRestoreTargetTest {

  static final String GROUP = "aigateway.envoyproxy.io";

  /** Answers each call with the next scripted response and records what was sent. */
  static final class ScriptedApi implements ObjectApi {
    final Deque<ApiResponse> answers = new ArrayDeque<>();
    final List<String> calls = new ArrayList<>();
    final List<JsonNode> bodies = new ArrayList<>();

    ScriptedApi answer(int code, String body) {
      answers.add(new ApiResponse(code, body));
      return this;
    }

    private CompletionStage<ApiResponse> next(String call, String json) {
      calls.add(call);
      if (json != null) {
        bodies.add(CanonicalJson.read(json));
      }
      return CompletableFuture.completedFuture(answers.removeFirst());
    }

    @Override
    public CompletionStage<ApiResponse> get(ResourceType type, String namespace, String name) {
      return next("GET " + type.objectPath(namespace, name), null);
    }

    @Override
    public CompletionStage<ApiResponse> list(
        ResourceType type, String namespace, String labelSelector, String continueToken) {
      throw new AssertionError("a restore lists nothing");
    }

    @Override
    public CompletionStage<ApiResponse> apply(
        ResourceType type, String namespace, String name, String json, boolean force) {
      throw new AssertionError("a restore writes the whole object, it does not apply");
    }

    @Override
    public CompletionStage<ApiResponse> create(ResourceType type, String namespace, String json) {
      return next("POST " + type.collectionPath(namespace), json);
    }

    @Override
    public CompletionStage<ApiResponse> replace(
        ResourceType type, String namespace, String name, String json) {
      return next("PUT " + type.objectPath(namespace, name), json);
    }

    @Override
    public CompletionStage<ApiResponse> delete(ResourceType type, String namespace, String name) {
      throw new AssertionError("a restore deletes nothing");
    }

    @Override
    public CompletionStage<ApiResponse> patchStatus(
        ResourceType type, String namespace, String name, String json) {
      throw new AssertionError("a restore writes no status");
    }
  }

  final ScriptedApi api = new ScriptedApi();
  final KubernetesRestoreTarget target = new KubernetesRestoreTarget(api, Duration.ofSeconds(5));

  static final String RECORDED =
      """
      {"apiVersion":"aigateway.envoyproxy.io/v1alpha1","kind":"AIServiceBackend",
       "metadata":{"name":"b","namespace":"ns","uid":"old-uid","resourceVersion":"7",
                   "generation":2,"labels":{"team":"x"},
                   "ownerReferences":[{"kind":"Gateway","name":"g","uid":"gone"}]},
       "spec":{"schema":{"name":"OpenAI"}},
       "status":{"conditions":[]}}
      """;

  static RestoredObject backend() {
    return new RestoredObject(
        new ObjectKey(GROUP, "AIServiceBackend", "ns", "b"),
        "aigateway.envoyproxy.io/v1alpha1",
        CanonicalJson.read(RECORDED),
        12);
  }

  @Test
  void aDeletedObjectIsCreatedAgainWithoutWhatTheOldOneCarried() throws Exception {
    api.answer(404, "{}").answer(201, "{}");

    RestoreOutcome outcome = target.restore(backend());

    assertThat(outcome.changed()).isTrue();
    assertThat(outcome.target()).isEqualTo("API server");
    assertThat(api.calls)
        .containsExactly(
            "GET /apis/aigateway.envoyproxy.io/v1alpha1/namespaces/ns/aiservicebackends/b",
            "POST /apis/aigateway.envoyproxy.io/v1alpha1/namespaces/ns/aiservicebackends");
    JsonNode sent = api.bodies.get(0);
    assertThat(sent.at("/spec/schema/name").asText()).isEqualTo("OpenAI");
    assertThat(sent.at("/metadata/labels/team").asText()).isEqualTo("x");
    assertThat(sent.has("status")).isFalse();
    for (String dropped : List.of("uid", "resourceVersion", "generation", "ownerReferences")) {
      assertThat(sent.path("metadata").has(dropped)).as(dropped).isFalse();
    }
  }

  @Test
  void aLiveObjectIsReplacedUnderItsResourceVersionAndAConflictIsReadAgain() throws Exception {
    String live =
        """
        {"apiVersion":"aigateway.envoyproxy.io/v1alpha1","kind":"AIServiceBackend",
         "metadata":{"name":"b","namespace":"ns","uid":"u","resourceVersion":"%s"},
         "spec":{"schema":{"name":"AWSBedrock"}}}
        """;
    api.answer(200, live.formatted("20"))
        .answer(409, "{\"message\":\"conflict\"}")
        .answer(200, live.formatted("21"))
        .answer(200, "{}");

    RestoreOutcome outcome = target.restore(backend());

    assertThat(outcome.changed()).isTrue();
    assertThat(api.calls).hasSize(4).last().asString().startsWith("PUT ");
    assertThat(api.bodies.get(1).at("/metadata/resourceVersion").asText()).isEqualTo("21");
    assertThat(api.bodies.get(1).at("/spec/schema/name").asText()).isEqualTo("OpenAI");
  }

  @Test
  void theVersionTheServerAlreadyHoldsWritesNothing() throws Exception {
    String live =
        """
        {"apiVersion":"aigateway.envoyproxy.io/v1alpha1","kind":"AIServiceBackend",
         "metadata":{"name":"b","namespace":"ns","uid":"u","resourceVersion":"30",
                     "labels":{"team":"x"},"ownerReferences":[{"kind":"Gateway","uid":"g2"}]},
         "spec":{"schema":{"name":"OpenAI"}},"status":{"conditions":[{"type":"Accepted"}]}}
        """;
    api.answer(200, live);

    RestoreOutcome outcome = target.restore(backend());

    assertThat(outcome.changed()).isFalse();
    assertThat(api.calls).hasSize(1);
  }

  @Test
  void secretsAndKindsOutsideTheAiGatewayAreNotRestorable() {
    for (ObjectKey key :
        List.of(
            new ObjectKey("", "Secret", "ns", "s"),
            new ObjectKey("gateway.networking.k8s.io", "HTTPRoute", "ns", "r"),
            new ObjectKey("gateway.networking.k8s.io", "Gateway", "ns", "g"))) {
      RestoredObject object =
          new RestoredObject(key, "v1", CanonicalJson.read("{\"metadata\":{}}"), 3);
      assertThatThrownBy(() -> target.restore(object))
          .isInstanceOfSatisfying(
              RestoreException.class,
              e -> assertThat(e.reason()).isEqualTo(RestoreException.Reason.NOT_RESTORABLE));
    }
    assertThat(api.calls).isEmpty();
  }

  @Test
  void aRefusalOfTheServerIsTheOperatorsAndItsFailureIsNot() {
    api.answer(404, "{}").answer(422, "{\"message\":\"spec.schema.name: Unsupported value\"}");
    assertThatThrownBy(() -> target.restore(backend()))
        .isInstanceOfSatisfying(
            RestoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RestoreException.Reason.NOT_RESTORABLE);
              assertThat(e.getMessage()).contains("422 spec.schema.name: Unsupported value");
            });

    api.answer(503, "busy");
    assertThatThrownBy(() -> target.restore(backend()))
        .isInstanceOfSatisfying(
            RestoreException.class,
            e -> assertThat(e.reason()).isEqualTo(RestoreException.Reason.FAILED));
  }
}
