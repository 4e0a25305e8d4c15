package io.aigw.deploy.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.desired.ExtProcSettings;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.Change;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pcollections.PSortedMap;

/**
 * What {@code aigw run} prints for each entry: the count (seq 42 UPSERT … → 7 resources changed)
 * and, for an object the entry left not accepted, why.
 */
class RunReportTest {

  static final String ROUTE =
      """
      apiVersion: aigateway.envoyproxy.io/v1beta1
      kind: AIGatewayRoute
      metadata: {name: chat, namespace: team-a}
      spec:
        rules:
          - backendRefs: [{name: openai}]
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

  final GatewayProjection projection = new GatewayProjection(ExtProcSettings.DEFAULT);
  GatewayState state = projection.initial();
  long seq;
  Change<GatewayState> lastChange;

  @Test
  void countsWhatEachEntryAddedChangedAndRemoved() throws Exception {
    assertThat(step(EventType.UPSERT, BACKEND.formatted("OpenAI")))
        .isEqualTo(new DesiredDiff(0, 0, 0));
    DesiredDiff created = step(EventType.UPSERT, ROUTE);
    assertThat(created.added()).isPositive();
    assertThat(created.changed() + created.removed()).isZero();
    // the new schema reaches the ExtProc's config and, through its hash, its pods
    assertThat(step(EventType.UPSERT, BACKEND.formatted("AzureOpenAI")))
        .isEqualTo(new DesiredDiff(0, 2, 0));
    assertThat(step(EventType.DELETE, ROUTE)).isEqualTo(new DesiredDiff(0, 0, created.added()));
  }

  @Test
  void eachEntrySaysWhichObjectsItLeftNotAcceptedOrAcceptedAgain() throws Exception {
    step(EventType.UPSERT, BACKEND.formatted("OpenAI"));
    assertThat(news()).isEmpty();
    step(EventType.UPSERT, ROUTE.replace("backendRefs", "backendRefz"));
    assertThat(news())
        .singleElement()
        .satisfies(
            n ->
                assertThat(n.describe())
                    .startsWith("AIGatewayRoute team-a/chat is NotAccepted: ")
                    .contains("spec.rules[0].backendRefz"));
    // the same mistake again (a save that changes something else) says nothing new
    step(EventType.UPSERT, ROUTE.replace("backendRefs", "backendRefz") + "  hostnames: []\n");
    assertThat(news()).isEmpty();
    // another mistake: a new reason, said again
    step(EventType.UPSERT, ROUTE.replace("name: openai", "name: missing"));
    assertThat(news())
        .extracting(StatusNews::describe)
        .singleElement()
        .asString()
        .startsWith("AIGatewayRoute team-a/chat is NotAccepted: ")
        .contains("missing");
    step(EventType.UPSERT, ROUTE);
    assertThat(news())
        .extracting(StatusNews::describe)
        .containsExactly("AIGatewayRoute team-a/chat is Accepted again");
    // another object's entry: deleting the backend leaves the route that names it not accepted
    step(EventType.DELETE, BACKEND.formatted("OpenAI"));
    assertThat(news())
        .extracting(StatusNews::describe)
        .singleElement()
        .asString()
        .startsWith("AIGatewayRoute team-a/chat is NotAccepted: ")
        .contains("openai");
  }

  @Test
  void aScanWhoseEntriesSettleAmongThemselvesSaysNothing() throws Exception {
    GatewayState beforeTheScan = state;
    // one file: the route folded first is not accepted until its backend is
    step(EventType.UPSERT, ROUTE);
    assertThat(StatusNews.between(beforeTheScan, state)).isNotEmpty();
    step(EventType.UPSERT, BACKEND.formatted("OpenAI"));

    assertThat(StatusNews.between(beforeTheScan, state)).isEmpty();
  }

  private java.util.List<StatusNews> news() {
    return StatusNews.between(lastChange.before(), lastChange.after());
  }

  /** Folds one event and checks the diff against a comparison of every desired object. */
  private DesiredDiff step(EventType type, String yaml) throws Exception {
    JsonNode object = YamlDocuments.parse(yaml).get(0).node();
    JsonNode metadata = object.path("metadata");
    WatchEvent event =
        new WatchEvent(
            "test",
            object.path("apiVersion").asText(),
            object.path("kind").asText(),
            metadata.path("namespace").asText(),
            metadata.path("name").asText(),
            "uid-" + metadata.path("name").asText(),
            Long.toString(++seq),
            1,
            type,
            CanonicalJson.write(object));
    GatewayState before = state;
    LogEntry entry = new LogEntry(seq, Instant.EPOCH, event);
    state = projection.apply(state, entry);
    lastChange = new Change<>(entry, before, state, Optional.empty());
    DesiredDiff diff = DesiredDiff.between(before, state);
    assertThat(diff).isEqualTo(everything(before.desired(), state.desired()));
    return diff;
  }

  private static DesiredDiff everything(
      PSortedMap<ObjectKey, DesiredResource> before, PSortedMap<ObjectKey, DesiredResource> after) {
    int added = 0;
    int changed = 0;
    for (var entry : after.entrySet()) {
      DesiredResource was = before.get(entry.getKey());
      if (was == null) {
        added++;
      } else if (!was.object().equals(entry.getValue().object())) {
        changed++;
      }
    }
    int removed = (int) before.keySet().stream().filter(k -> !after.containsKey(k)).count();
    return new DesiredDiff(added, changed, removed);
  }
}
