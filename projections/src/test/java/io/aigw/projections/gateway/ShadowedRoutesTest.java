package io.aigw.projections.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.ObjectKey;
import io.aigw.projections.desired.ExtProcSettings;
import org.junit.jupiter.api.Test;

/**
 * In a cluster, of the routes attached to a Gateway the same way only the one with precedence is
 * reached: the others must not say Accepted while their models get 404.
 */
class ShadowedRoutesTest {

  private static final String BACKEND = GatewayProjectionTest.BACKEND;

  private static String route(String name, String created, String attachment) {
    return """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIGatewayRoute
        metadata: {name: NAME, namespace: default, CREATED}
        spec:
          ATTACHMENT
          rules:
            - matches: [{headers: [{name: x-ai-eg-model, value: NAME-model}]}]
              backendRefs: [{name: openai}]
        """
        .replace("NAME", name)
        .replace("CREATED", created.isEmpty() ? "" : "creationTimestamp: '" + created + "'")
        .replace("ATTACHMENT", attachment);
  }

  private static final String OLD = "2025-01-01T00:00:00Z";
  private static final String NEW = "2025-02-01T00:00:00Z";
  private static final String WHOLE_GATEWAY = "parentRefs: [{name: gw}]";

  private static ObjectKey key(String name) {
    return new ObjectKey("aigateway.envoyproxy.io", "AIGatewayRoute", "default", name);
  }

  private static GatewayState fold(GatewayProjection projection, Fixtures.Log log) {
    return projection.applyAll(projection.initial(), log.entries());
  }

  private static GatewayState fold(Fixtures.Log log) {
    return fold(new GatewayProjection(), log);
  }

  @Test
  void theOlderRouteTakesTheRequestsAndTheNewerOneSaysWhoseExtProcAnswers() {
    // "alpha" comes first by name, but "chat" was created first: the age decides
    String chat = route("chat", OLD, WHOLE_GATEWAY);
    String alpha = route("alpha", NEW, WHOLE_GATEWAY);
    GatewayState state =
        fold(new Fixtures.Log().upsert(BACKEND + "---\n" + chat + "---\n" + alpha));
    assertThat(state.statuses().get(key("chat")).isAccepted()).isTrue();
    assertThat(state.statuses().get(key("alpha")).isAccepted()).isFalse();
    assertThat(GatewayProjectionTest.message(state, key("alpha")))
        .isEqualTo(
            "spec.parentRefs[0]: AIGatewayRoute default/chat takes this route's requests on"
                + " Gateway default/gw, both routes setting no hostnames (it was created first, or"
                + " comes first by namespace/name), and its ExtProc answers 404 for this route's"
                + " models; give this route its own hostnames, or move its rules into"
                + " default/chat");
    assertThat(state.desired().keySet())
        .as("the newer route's objects are still generated")
        .contains(
            GatewayProjectionTest.desiredKey("gateway.networking.k8s.io/v1", "HTTPRoute", "alpha"));
  }

  @Test
  void withoutCreationTimestampsTheFirstByNamespaceAndNameTakesTheRequests() {
    GatewayState state =
        fold(
            new Fixtures.Log()
                .upsert(
                    BACKEND
                        + "---\n"
                        + route("chat", "", WHOLE_GATEWAY)
                        + "---\n"
                        + route("alpha", "", WHOLE_GATEWAY)));
    assertThat(state.statuses().get(key("alpha")).isAccepted()).isTrue();
    assertThat(GatewayProjectionTest.message(state, key("chat")))
        .startsWith("spec.parentRefs[0]: AIGatewayRoute default/alpha takes this route's requests");
  }

  @Test
  void whenTheRouteWithPrecedenceGoesTheNextOneIsAcceptedAndTheOthersNameIt() {
    String first = route("first", OLD, WHOLE_GATEWAY);
    String second = route("second", NEW, WHOLE_GATEWAY);
    String third = route("third", "2025-03-01T00:00:00Z", WHOLE_GATEWAY);
    Fixtures.Log log =
        new Fixtures.Log().upsert(BACKEND + "---\n" + first + "---\n" + second + "---\n" + third);
    GatewayProjection projection = new GatewayProjection();
    GatewayState before = fold(projection, log);
    assertThat(GatewayProjectionTest.message(before, key("third")))
        .contains("AIGatewayRoute default/first takes");

    GatewayState after =
        projection.applyAll(before, new Fixtures.Log(log.nextSeq()).delete(first).entries());
    assertThat(after.statuses()).doesNotContainKey(key("first"));
    assertThat(after.statuses().get(key("second")).isAccepted()).isTrue();
    assertThat(GatewayProjectionTest.message(after, key("third")))
        .contains("AIGatewayRoute default/second takes");
  }

  @Test
  void sharedHostnamesAreNamedAndRoutesOnOtherHostnamesListenersOrGatewaysAreAccepted() {
    String older = route("older", OLD, "parentRefs: [{name: gw}]\n  hostnames: [a.example.com]");
    String overlapping =
        route(
            "overlapping",
            NEW,
            "parentRefs: [{name: gw}]\n  hostnames: [b.example.com, a.example.com]");
    String otherHost =
        route("other-host", NEW, "parentRefs: [{name: gw}]\n  hostnames: [c.example.com]");
    String otherListener =
        route("other-listener", NEW, "parentRefs: [{name: gw, sectionName: https}]");
    String otherGateway = route("other-gateway", NEW, "parentRefs: [{name: gw2}]");
    String noHostnames = route("no-hostnames", NEW, WHOLE_GATEWAY);
    GatewayState state =
        fold(
            new Fixtures.Log()
                .upsert(
                    String.join(
                        "---\n",
                        BACKEND,
                        older,
                        overlapping,
                        otherHost,
                        otherListener,
                        otherGateway,
                        noHostnames)));
    assertThat(GatewayProjectionTest.message(state, key("overlapping")))
        .startsWith(
            "spec.parentRefs[0]: AIGatewayRoute default/older takes this route's requests on"
                + " Gateway default/gw for hostname a.example.com (it was");
    for (String accepted :
        new String[] {"older", "other-host", "other-listener", "other-gateway", "no-hostnames"}) {
      assertThat(state.statuses().get(key(accepted)).isAccepted()).as(accepted).isTrue();
    }
  }

  @Test
  void whereOneExtProcServesEveryRouteNoRouteTakesAnothersRequests() {
    GatewayProjection everyRoute =
        new GatewayProjection(ExtProcSettings.DEFAULT, ExtProcScope.EVERY_ROUTE);
    GatewayState state =
        fold(
            everyRoute,
            new Fixtures.Log()
                .upsert(
                    BACKEND
                        + "---\n"
                        + route("chat", OLD, WHOLE_GATEWAY)
                        + "---\n"
                        + route("alpha", NEW, WHOLE_GATEWAY)));
    assertThat(state.statuses().get(key("chat")).isAccepted()).isTrue();
    assertThat(state.statuses().get(key("alpha")).isAccepted()).isTrue();
  }
}
