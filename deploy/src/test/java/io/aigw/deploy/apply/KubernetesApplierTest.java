package io.aigw.deploy.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.event.ApplyOutcome;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.Outcome;
import io.aigw.core.log.EventLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The applier on server-side apply (the production path), against an in-memory API server. */
class KubernetesApplierTest {

  static final String ROUTE =
      """
      apiVersion: aigateway.envoyproxy.io/v1beta1
      kind: AIGatewayRoute
      metadata: {name: chat, namespace: team-a}
      spec:
        parentRefs: [{name: gw}]
        rules:
          - matches: [{headers: [{name: x-ai-eg-model, value: gpt-4o}]}]
            backendRefs: [{name: openai}]
      """;

  static final String BACKEND =
      """
      apiVersion: aigateway.envoyproxy.io/v1beta1
      kind: AIServiceBackend
      metadata: {name: openai, namespace: team-a}
      spec:
        schema: {name: %s}
        backendRef: {name: openai, kind: Backend, group: gateway.envoyproxy.io}
      """;

  /** {@link #ROUTE} once deleted in the foreground: its objects go first. */
  static final String BEING_DELETED =
      ROUTE.replace(
          "metadata: {name: chat, namespace: team-a}",
          "metadata: {name: chat, namespace: team-a, deletionTimestamp: '2025-05-01T10:00:00Z'}");

  static final ObjectKey ROUTE_KEY =
      new ObjectKey("aigateway.envoyproxy.io", "AIGatewayRoute", "team-a", "chat");
  static final ObjectKey HTTP_ROUTE =
      new ObjectKey("gateway.networking.k8s.io", "HTTPRoute", "team-a", "chat");
  static final ObjectKey CONFIG_MAP =
      new ObjectKey("", "ConfigMap", "team-a", "ai-eg-route-extproc-chat");
  static final ObjectKey DEPLOYMENT =
      new ObjectKey("apps", "Deployment", "team-a", "ai-eg-route-extproc-chat");

  final List<SimulatedCluster> clusters = new ArrayList<>();
  final List<KubernetesApplier> appliers = new ArrayList<>();
  final MutableClock clock = new MutableClock(Instant.parse("2025-05-01T10:00:00Z"));

  @AfterEach
  void close() throws Exception {
    appliers.forEach(KubernetesApplier::close);
    for (SimulatedCluster cluster : clusters) {
      cluster.close();
    }
  }

  SimulatedCluster cluster() throws Exception {
    SimulatedCluster cluster = new SimulatedCluster();
    clusters.add(cluster);
    return cluster;
  }

  ApplierOptions options() {
    return ApplierOptions.defaults("k8s:test")
        .withDriftInterval(Duration.ZERO)
        .withBackoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(50), 6))
        .withClock(clock);
  }

  KubernetesApplier start(SimulatedCluster cluster, ApplierOptions options) {
    // the tests describe what the applier does with the state of everything written so far
    long written = cluster.log.latestSeq();
    await().until(() -> cluster.host.currentSeq() >= written);
    KubernetesApplier applier =
        new KubernetesApplier(cluster.api, cluster.log, cluster.host, options);
    appliers.add(applier);
    applier.start();
    return applier;
  }

  static void settle(SimulatedCluster cluster, KubernetesApplier applier) {
    long seq = cluster.log.latestSeq();
    try {
      await().until(() -> cluster.host.currentSeq() >= seq && applier.status().settledAt(seq));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "not settled at "
              + seq
              + ": "
              + applier.status()
              + ", host at "
              + cluster.host.currentSeq(),
          e);
    }
  }

  static List<ApplyOutcome> outcomes(SimulatedCluster cluster) {
    List<ApplyOutcome> outcomes = new ArrayList<>();
    for (LogEntry entry : cluster.log.read(1, Integer.MAX_VALUE)) {
      if (entry.event() instanceof ApplyOutcome outcome) {
        outcomes.add(outcome);
      }
    }
    return outcomes;
  }

  static List<String> described(List<ApplyOutcome> outcomes) {
    return outcomes.stream().map(ApplyOutcome::describe).sorted().toList();
  }

  /** Applies the route and its backend to {@code cluster} and waits until that is settled. */
  private KubernetesApplier settledRoute(SimulatedCluster cluster, ApplierOptions options)
      throws Exception {
    cluster.upsert(ROUTE + "---\n" + BACKEND.formatted("OpenAI"));
    KubernetesApplier applier = start(cluster, options);
    settle(cluster, applier);
    return applier;
  }

  @Test
  void isNotSettledUntilEveryOutcomeItRecordedIsInTheLog() throws Exception {
    SimulatedCluster cluster = cluster();
    long seq = cluster.upsert(ROUTE + "---\n" + BACKEND.formatted("OpenAI"));
    await().until(() -> cluster.host.currentSeq() >= seq);
    // a log whose commits of outcomes wait for the test, as a busy file log's group commit would
    CompletableFuture<Void> commit = new CompletableFuture<>();
    EventLog slow =
        new EventLog() {
          @Override
          public CompletableFuture<LogEntry> append(LogEvent event) {
            return event instanceof ApplyOutcome
                ? commit.thenCompose(v -> cluster.log.append(event))
                : cluster.log.append(event);
          }

          @Override
          public List<LogEntry> read(long fromSeq, int limit) {
            return cluster.log.read(fromSeq, limit);
          }

          @Override
          public long latestSeq() {
            return cluster.log.latestSeq();
          }

          @Override
          public void onCommit(EventLog.CommitListener listener) {
            cluster.log.onCommit(listener);
          }

          @Override
          public void close() {}
        };
    KubernetesApplier applier = new KubernetesApplier(cluster.api, slow, cluster.host, options());
    appliers.add(applier);
    applier.start();
    await()
        .until(
            () -> {
              ApplierStatus status = applier.status();
              return status.swept()
                  && status.seenSeq() >= seq
                  && status.queued() == 0
                  && status.inFlight() == 0
                  && status.waiting() == 0;
            });
    assertThat(applier.status().recording()).isPositive();
    assertThat(applier.status().settledAt(seq)).isFalse();

    commit.complete(null);
    await().until(() -> applier.status().settledAt(seq));
    assertThat(applier.status().recording()).isZero();
    assertThat(outcomes(cluster)).filteredOn(o -> o.subresource().isEmpty()).hasSize(7);
  }

  @Test
  void appliesEveryDesiredObjectWithServerSideApplyAndRecordsWhatItDid() throws Exception {
    SimulatedCluster cluster = cluster();
    long seq = cluster.upsert(ROUTE + "---\n" + BACKEND.formatted("OpenAI"));
    KubernetesApplier applier = start(cluster, options());
    settle(cluster, applier);

    assertThat(cluster.owned()).hasSize(7).contains(HTTP_ROUTE, CONFIG_MAP, DEPLOYMENT);
    assertThat(cluster.api.writes())
        .extracting(FakeApiServer.Call::verb)
        .containsOnly("APPLY", "STATUS");
    List<ApplyOutcome> outcomes = outcomes(cluster);
    assertThat(outcomes)
        .filteredOn(o -> o.subresource().isEmpty())
        .hasSize(7)
        .allMatch(o -> o.outcome() == Outcome.CREATED && o.desiredSeq() == seq);
    assertThat(described(outcomes))
        .contains(
            "Created HTTPRoute team-a/chat",
            "Patched AIGatewayRoute team-a/chat status",
            "Patched AIServiceBackend team-a/openai status");
    ObjectNode route = cluster.api.object(HTTP_ROUTE).orElseThrow();
    assertThat(route.at("/metadata/labels/app.kubernetes.io~1managed-by").asText())
        .isEqualTo("aigw");
    assertThat(route.at("/metadata/ownerReferences/0/uid").asText())
        .isEqualTo("uid-AIGatewayRoute-chat");
    ObjectNode status = cluster.api.object(ROUTE_KEY).orElseThrow();
    assertThat(status.at("/status/conditions/0/type").asText()).isEqualTo("Accepted");
    assertThat(status.at("/status/conditions/0/observedGeneration").asLong()).isEqualTo(1);
    assertThat(status.at("/status/conditions/0/lastTransitionTime").asText())
        .isEqualTo("2025-05-01T10:00:00Z");
  }

  @Test
  void aWatchedDeleteIsRepairedUnlessTheOwningRouteIsBeingDeleted() throws Exception {
    SimulatedCluster cluster = cluster();
    KubernetesApplier applier = settledRoute(cluster, options());

    // someone deletes the ConfigMap: the watch tells the applier, which puts it back
    cluster.api.remove(CONFIG_MAP);
    LiveObjects live = key -> cluster.api.object(key).map(JsonNode.class::cast);
    applier.liveChanged(CONFIG_MAP, live);
    await()
        .untilAsserted(
            () ->
                assertThat(described(outcomes(cluster)))
                    .contains(
                        "Created ConfigMap team-a/ai-eg-route-extproc-chat: "
                            + KubernetesApplier.MISSING));
    assertThat(cluster.api.object(CONFIG_MAP)).isPresent();

    // the route is being deleted (a foreground delete): the garbage collector takes its objects
    cluster.upsert(BEING_DELETED);
    settle(cluster, applier);
    cluster.api.remove(DEPLOYMENT);
    applier.liveChanged(DEPLOYMENT, live);
    await()
        .during(KubernetesApplier.REPAIR_DELAY.multipliedBy(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.api.object(DEPLOYMENT).isEmpty());
  }

  @Test
  void theDriftCheckLeavesTheObjectsOfARouteBeingDeletedToTheGarbageCollector() throws Exception {
    SimulatedCluster cluster = cluster();
    KubernetesApplier applier =
        settledRoute(cluster, options().withDriftInterval(Duration.ofMillis(100)));
    cluster.upsert(BEING_DELETED);
    settle(cluster, applier);
    cluster.api.remove(DEPLOYMENT);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.api.object(DEPLOYMENT).isEmpty());
    assertThat(applier.status().sweeps()).isGreaterThan(2);
  }

  @Test
  void anApplierForSomeNamespacesNeverWritesOutsideThem() throws Exception {
    SimulatedCluster cluster = cluster();
    // the log was recorded when the controller watched every namespace
    cluster.upsert(ROUTE + "---\n" + BACKEND.formatted("OpenAI"));
    cluster.upsert(
        (ROUTE + "---\n" + BACKEND.formatted("OpenAI"))
            .replace("namespace: team-a", "namespace: team-b"));
    KubernetesApplier applier =
        start(
            cluster,
            options().withNamespaces(List.of("team-a")).withDriftInterval(Duration.ofMillis(100)));
    settle(cluster, applier);
    await().until(() -> applier.status().sweeps() > 2);
    assertThat(cluster.owned()).hasSize(7).allMatch(key -> key.namespace().equals("team-a"));
    assertThat(cluster.api.writes()).allMatch(call -> call.key().namespace().equals("team-a"));
  }

  @Test
  void aRouteDeletedAndCreatedAgainWhileUnobservedGetsItsStatus() throws Exception {
    SimulatedCluster cluster = cluster();
    KubernetesApplier applier = settledRoute(cluster, options());
    assertThat(cluster.api.object(ROUTE_KEY).orElseThrow().has("status")).isTrue();

    // the same route, generation and outcome, but another object: it has no status yet
    cluster.recreateUnobserved(ROUTE);
    settle(cluster, applier);
    ObjectNode route = cluster.api.object(ROUTE_KEY).orElseThrow();
    assertThat(route.at("/metadata/uid").asText()).isEqualTo("uid-AIGatewayRoute-chat-1");
    assertThat(route.at("/status/conditions/0/type").asText()).isEqualTo("Accepted");
    assertThat(
            cluster
                .api
                .object(HTTP_ROUTE)
                .orElseThrow()
                .at("/metadata/ownerReferences/0/uid")
                .asText())
        .as("the generated objects name the new owner")
        .isEqualTo("uid-AIGatewayRoute-chat-1");
  }

  @Test
  void objectsOfARouteMadeAgainWithAnInvalidVersionAreLeftToTheGarbageCollector() throws Exception {
    SimulatedCluster cluster = cluster();
    KubernetesApplier applier =
        settledRoute(cluster, options().withDriftInterval(Duration.ofMillis(20)));
    // deleted and made again unobserved, invalid: the old version stays in effect, and with it
    // objects that name the old uid as their owner, which the garbage collector is removing
    long seq =
        cluster.recreateUnobserved(ROUTE.replace("parentRefs: [{name: gw}]", "parentRefs: 5"));
    await().until(() -> cluster.host.currentSeq() >= seq);
    cluster.api.remove(DEPLOYMENT);
    long sweeps = applier.status().sweeps();
    await().until(() -> applier.status().sweeps() > sweeps + 3);
    assertThat(cluster.api.object(DEPLOYMENT))
        .as("not made again for a route that is gone")
        .isEmpty();
  }

  @Test
  void aChangedBackendRewritesOnlyTheConfigMapAndTheDeployment() throws Exception {
    SimulatedCluster cluster = cluster();
    KubernetesApplier applier = settledRoute(cluster, options());
    String hashBefore = configHash(cluster);
    cluster.api.clearCalls();

    cluster.upsert(BACKEND.formatted("AzureOpenAI"));
    settle(cluster, applier);

    assertThat(
            cluster.api.writes().stream()
                .filter(c -> !c.verb().equals("STATUS"))
                .map(FakeApiServer.Call::key))
        .containsExactlyInAnyOrder(CONFIG_MAP, DEPLOYMENT);
    assertThat(configHash(cluster)).isNotEqualTo(hashBefore);
  }

  static String configHash(SimulatedCluster cluster) {
    return cluster
        .api
        .object(DEPLOYMENT)
        .orElseThrow()
        .at("/spec/template/metadata/annotations/aigateway.envoyproxy.io~1extproc-config-hash")
        .asText();
  }

  @Test
  void aDeletedRouteHasItsObjectsPruned() throws Exception {
    SimulatedCluster cluster = cluster();
    KubernetesApplier applier = settledRoute(cluster, options());

    cluster.delete("aigateway.envoyproxy.io/v1beta1", "AIGatewayRoute", "team-a", "chat");
    settle(cluster, applier);

    assertThat(cluster.owned()).isEmpty();
    assertThat(outcomes(cluster)).filteredOn(o -> o.outcome() == Outcome.DELETED).hasSize(7);
  }

  @Test
  void objectsWithoutTheManagedByLabelAreNeverPruned() throws Exception {
    SimulatedCluster cluster = cluster();
    ObjectKey foreign =
        new ObjectKey("gateway.networking.k8s.io", "HTTPRoute", "team-a", "hand-made");
    cluster.api.put(
        foreign,
        (ObjectNode)
            io.aigw.core.codec.CanonicalJson.read(
                "{\"apiVersion\":\"gateway.networking.k8s.io/v1\",\"kind\":\"HTTPRoute\","
                    + "\"metadata\":{\"name\":\"hand-made\",\"namespace\":\"team-a\"},\"spec\":{}}"));
    cluster.upsert(BACKEND.formatted("OpenAI"));
    KubernetesApplier applier = start(cluster, options());
    settle(cluster, applier);

    assertThat(cluster.api.object(foreign)).isPresent();
  }

  /** A team's own HTTPRoute with the name aigw generates for route {@code chat}. */
  static ObjectNode handMadeHttpRoute(String ownerReferences) {
    return (ObjectNode)
        io.aigw.core.codec.CanonicalJson.read(
            "{\"apiVersion\":\"gateway.networking.k8s.io/v1\",\"kind\":\"HTTPRoute\","
                + "\"metadata\":{\"name\":\"chat\",\"namespace\":\"team-a\","
                + "\"labels\":{\"team\":\"a\"}"
                + ownerReferences
                + "},\"spec\":{\"parentRefs\":[{\"name\":\"team-a-gateway\"}]}}");
  }

  @ParameterizedTest(name = "server-side apply: {0}")
  @ValueSource(booleans = {true, false})
  void anObjectOfTheGeneratedNameThatIsNotAigwsIsLeftAloneAndNeverPruned(boolean ssa)
      throws Exception {
    SimulatedCluster cluster = cluster();
    cluster.api.serverSideApply(ssa);
    cluster.api.put(HTTP_ROUTE, handMadeHttpRoute(""));
    ObjectNode planted = cluster.api.object(HTTP_ROUTE).orElseThrow();
    KubernetesApplier applier = settledRoute(cluster, options());

    assertThat(cluster.api.object(HTTP_ROUTE)).contains(planted);
    assertThat(cluster.owned()).hasSize(7);
    assertThat(described(outcomes(cluster)))
        .contains(
            "Failed HTTPRoute team-a/chat: HTTPRoute team-a/chat exists but is not aigw's: it has"
                + " no label app.kubernetes.io/managed-by=aigw and is not owned by AIGatewayRoute"
                + " team-a/chat; aigw leaves it alone. Rename or delete it, or add the label to"
                + " hand it to aigw");
    assertThat(applier.status().failing()).isEqualTo(1);

    cluster.delete("aigateway.envoyproxy.io/v1beta1", "AIGatewayRoute", "team-a", "chat");
    settle(cluster, applier);

    assertThat(cluster.owned()).containsExactly(HTTP_ROUTE);
    assertThat(cluster.api.object(HTTP_ROUTE)).contains(planted);
  }

  @Test
  void anObjectOfTheGeneratedNameIsTakenOnceItsOwnerDeletesIt() throws Exception {
    SimulatedCluster cluster = cluster();
    cluster.api.put(HTTP_ROUTE, handMadeHttpRoute(""));
    settledRoute(cluster, options().withDriftInterval(Duration.ofMillis(100)));

    cluster.api.remove(HTTP_ROUTE);

    await()
        .untilAsserted(
            () ->
                assertThat(
                        cluster
                            .api
                            .object(HTTP_ROUTE)
                            .map(r -> r.at("/metadata/labels/app.kubernetes.io~1managed-by")))
                    .hasValueSatisfying(label -> assertThat(label.asText()).isEqualTo("aigw")));
  }

  @Test
  void anObjectGeneratedFromTheSameRouteByAnotherControllerIsAdopted() throws Exception {
    SimulatedCluster cluster = cluster();
    // what the upstream controller leaves behind: owned by the route, without aigw's label
    cluster.api.put(
        HTTP_ROUTE,
        handMadeHttpRoute(
            ",\"ownerReferences\":[{\"apiVersion\":\"aigateway.envoyproxy.io/v1beta1\","
                + "\"kind\":\"AIGatewayRoute\",\"name\":\"chat\","
                + "\"uid\":\"uid-AIGatewayRoute-chat\",\"controller\":true}]"));
    settledRoute(cluster, options());

    assertThat(cluster.owned()).hasSize(7).contains(HTTP_ROUTE);
    assertThat(described(outcomes(cluster))).contains("Patched HTTPRoute team-a/chat");
    assertThat(cluster.api.object(HTTP_ROUTE).orElseThrow().at("/spec/parentRefs/0/name").asText())
        .isEqualTo("gw");
  }

  @Test
  void aRestartOnAClusterInLineWritesNothingAndRecordsNoop() throws Exception {
    SimulatedCluster cluster = cluster();
    KubernetesApplier first = settledRoute(cluster, options());
    first.close();
    int before = outcomes(cluster).size();
    cluster.api.clearCalls();

    KubernetesApplier second = start(cluster, options());
    settle(cluster, second);

    assertThat(cluster.api.writes()).isEmpty();
    List<ApplyOutcome> after = outcomes(cluster).subList(before, outcomes(cluster).size());
    assertThat(after).hasSize(9).allMatch(o -> o.outcome() == Outcome.NOOP);
  }

  @Test
  void transientFailuresAreRetriedWithoutHoldingUpOtherObjects() throws Exception {
    SimulatedCluster cluster = cluster();
    AtomicInteger configMapCalls = new AtomicInteger();
    cluster.api.faults(
        call -> {
          if (call.key().equals(CONFIG_MAP) && call.isWrite()) {
            int n = configMapCalls.incrementAndGet();
            int[] codes = {500, 409, 429, 503};
            if (n <= codes.length) {
              return Optional.of(new ApiResponse(codes[n - 1], "{\"message\":\"try again\"}"));
            }
          }
          return Optional.empty();
        });
    KubernetesApplier applier = settledRoute(cluster, options());

    assertThat(cluster.owned()).hasSize(7);
    assertThat(configMapCalls).hasValue(5);
    assertThat(applier.status().retries()).isEqualTo(4);
    assertThat(outcomes(cluster)).noneMatch(o -> o.outcome() == Outcome.FAILED);
    List<String> order = cluster.api.writes().stream().map(FakeApiServer.Call::toString).toList();
    assertThat(order.indexOf("APPLY " + HTTP_ROUTE))
        .isLessThan(order.lastIndexOf("APPLY " + CONFIG_MAP));
  }

  @Test
  void aRejectedObjectIsRecordedAsFailedWithTheServersReasonAndTheOthersAreApplied()
      throws Exception {
    SimulatedCluster cluster = cluster();
    cluster.api.faults(
        call ->
            call.key().equals(DEPLOYMENT)
                ? Optional.of(
                    new ApiResponse(422, "{\"message\":\"spec.replicas: Invalid value\"}"))
                : Optional.empty());
    KubernetesApplier applier = settledRoute(cluster, options());

    assertThat(cluster.owned()).hasSize(6).doesNotContain(DEPLOYMENT);
    assertThat(described(outcomes(cluster)))
        .contains(
            "Failed Deployment team-a/ai-eg-route-extproc-chat: 422 spec.replicas: Invalid value");
    assertThat(applier.status().failing()).isEqualTo(1);
  }

  @Test
  void aFailureThatNeverPassesIsRecordedAfterTheLastAttempt() throws Exception {
    SimulatedCluster cluster = cluster();
    cluster.api.faults(
        call ->
            call.key().equals(CONFIG_MAP)
                ? Optional.of(new ApiResponse(503, "{\"message\":\"unavailable\"}"))
                : Optional.empty());
    KubernetesApplier applier = settledRoute(cluster, options());

    assertThat(described(outcomes(cluster)))
        .contains(
            "Failed ConfigMap team-a/ai-eg-route-extproc-chat: 503 unavailable (gave up after 6 attempts)");
  }

  @Test
  void theDriftCheckRepairsAHandEditAndRecreatesADeletedObject() throws Exception {
    SimulatedCluster cluster = cluster();
    KubernetesApplier applier =
        settledRoute(cluster, options().withDriftInterval(Duration.ofMillis(100)));
    ObjectNode edited = cluster.api.object(HTTP_ROUTE).orElseThrow();
    ((ObjectNode) edited.at("/spec/parentRefs/0")).put("name", "someone-elses-gateway");
    cluster.api.put(HTTP_ROUTE, edited);
    cluster.api.remove(CONFIG_MAP);

    // both repairs, however many sweeps recorded them: a sweep that lists before a repair lands
    // and compares after it records that repair again
    await()
        .untilAsserted(
            () ->
                assertThat(described(outcomes(cluster)))
                    .contains(
                        "Patched HTTPRoute team-a/chat: " + KubernetesApplier.DRIFTED,
                        "Created ConfigMap team-a/ai-eg-route-extproc-chat: "
                            + KubernetesApplier.MISSING));
    assertThat(cluster.api.object(HTTP_ROUTE).orElseThrow().at("/spec/parentRefs/0/name").asText())
        .isEqualTo("gw");
    assertThat(cluster.api.object(CONFIG_MAP)).isPresent();
  }

  @Test
  void theDriftCheckLeavesTheExtProcsReplicasToWhoeverScaledIt() throws Exception {
    SimulatedCluster cluster = cluster();
    KubernetesApplier applier =
        settledRoute(cluster, options().withDriftInterval(Duration.ofMillis(50)));
    // kubectl scale, or a HorizontalPodAutoscaler
    ObjectNode scaled = cluster.api.object(DEPLOYMENT).orElseThrow();
    ((ObjectNode) scaled.get("spec")).put("replicas", 3);
    cluster.api.put(DEPLOYMENT, scaled);
    long sweeps = applier.status().sweeps();

    await().until(() -> applier.status().sweeps() >= sweeps + 3);
    settle(cluster, applier);

    assertThat(cluster.api.object(DEPLOYMENT).orElseThrow().at("/spec/replicas").asInt())
        .isEqualTo(3);
    assertThat(described(outcomes(cluster)))
        .doesNotContain(
            "Patched Deployment team-a/ai-eg-route-extproc-chat: " + KubernetesApplier.DRIFTED);
  }

  @Test
  void aDriftCheckThatCannotListStillLetsChangesBeApplied() throws Exception {
    SimulatedCluster cluster = cluster();
    KubernetesApplier applier =
        settledRoute(cluster, options().withDriftInterval(Duration.ofMillis(50)));
    // from now on every list of Deployments fails, as with a lost RBAC rule or a flaky API server
    AtomicInteger failedLists = new AtomicInteger();
    cluster.api.faults(
        call -> {
          if (call.verb().equals("LIST") && call.key().kind().equals("Deployment")) {
            failedLists.incrementAndGet();
            return Optional.of(new ApiResponse(503, "{\"message\":\"unavailable\"}"));
          }
          return Optional.empty();
        });
    await().until(() -> failedLists.get() >= 2);

    cluster.upsert(BACKEND.formatted("AzureOpenAI"));
    await()
        .untilAsserted(
            () ->
                assertThat(described(outcomes(cluster)))
                    .contains("Patched ConfigMap team-a/ai-eg-route-extproc-chat"));
    assertThat(cluster.api.object(CONFIG_MAP).orElseThrow().toString()).contains("AzureOpenAI");
  }

  @Test
  void fallsBackToCreateAndUpdateWhenTheServerHasNoServerSideApply() throws Exception {
    SimulatedCluster cluster = cluster();
    cluster.api.serverSideApply(false);
    KubernetesApplier applier = settledRoute(cluster, options());
    cluster.upsert(BACKEND.formatted("AzureOpenAI"));
    settle(cluster, applier);

    assertThat(applier.status().serverSideApply()).isFalse();
    assertThat(cluster.owned()).hasSize(7);
    assertThat(described(outcomes(cluster)))
        .contains(
            "Created HTTPRoute team-a/chat",
            "Patched ConfigMap team-a/ai-eg-route-extproc-chat",
            "Patched Deployment team-a/ai-eg-route-extproc-chat");
    assertThat(outcomes(cluster)).noneMatch(o -> o.outcome() == Outcome.FAILED);
    assertThat(cluster.api.writes())
        .extracting(FakeApiServer.Call::verb)
        .contains("CREATE", "REPLACE");
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenTheConditionsStatusChanges() throws Exception {
    SimulatedCluster cluster = cluster();
    KubernetesApplier applier = settledRoute(cluster, options());
    String accepted = conditionTime(cluster);

    clock.set(Instant.parse("2025-05-01T11:00:00Z"));
    cluster.upsert(ROUTE.replace("gpt-4o", "gpt-4o-mini"));
    settle(cluster, applier);
    assertThat(conditionTime(cluster)).isEqualTo(accepted);
    assertThat(
            cluster
                .api
                .object(ROUTE_KEY)
                .orElseThrow()
                .at("/status/conditions/0/observedGeneration")
                .asLong())
        .isEqualTo(2);

    clock.set(Instant.parse("2025-05-01T12:00:00Z"));
    cluster.upsert(ROUTE.replace("name: openai", "name: missing"));
    settle(cluster, applier);
    ObjectNode route = cluster.api.object(ROUTE_KEY).orElseThrow();
    assertThat(route.at("/status/conditions/0/type").asText()).isEqualTo("NotAccepted");
    assertThat(route.at("/status/conditions/0/message").asText()).contains("missing");
    assertThat(conditionTime(cluster)).isEqualTo("2025-05-01T12:00:00Z");
  }

  static String conditionTime(SimulatedCluster cluster) {
    return cluster
        .api
        .object(ROUTE_KEY)
        .orElseThrow()
        .at("/status/conditions/0/lastTransitionTime")
        .asText();
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant value) {
      now = value;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
