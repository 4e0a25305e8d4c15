package io.aigw.projections.gateway;

import static io.aigw.projections.gateway.GatewayProjectionTest.BACKEND;
import static io.aigw.projections.gateway.GatewayProjectionTest.ROUTE;
import static io.aigw.projections.gateway.GatewayProjectionTest.ROUTE_KEY;
import static io.aigw.projections.gateway.GatewayProjectionTest.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.BackendQuota;
import io.aigw.core.filterconfig.BackendQuota.ClientBucket;
import io.aigw.core.filterconfig.BackendQuota.HeaderSelector;
import io.aigw.core.filterconfig.BackendQuota.ModelQuota;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A QuotaPolicy reaches the filter configs of the routes naming the backends it targets, as their
 * budgets; its status says what of it aigw leaves out.
 */
class QuotaPolicyFoldTest {

  static final String QUOTA =
      """
      apiVersion: aigateway.envoyproxy.io/v1alpha1
      kind: QuotaPolicy
      metadata: {name: budget, namespace: default, generation: 4}
      spec:
        targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: openai}]
        serviceQuota:
          quota: {limit: 1000000, duration: 1d}
        perModelQuotas:
        - modelName: gpt-4o
          quota:
            costExpression: "input_tokens + output_tokens * 6u"
            defaultBucket: {limit: 10000, duration: 1h}
            bucketRules:
            - clientSelectors: [{headers: [{name: X-Tenant, type: Distinct}]}]
              quota: {limit: 5000, duration: 1h}
              shadowMode: true
            - clientSelectors: [{headers: [{name: x-team, value: ml}], methods: [{value: POST}]}]
              quota: {limit: 50000, duration: 1h}
      """;

  /** Another policy of the backend, after "budget" by name: its gpt-4o quota gives way. */
  static final String LATER =
      """
      apiVersion: aigateway.envoyproxy.io/v1alpha1
      kind: QuotaPolicy
      metadata: {name: later, namespace: default}
      spec:
        targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: openai}]
        perModelQuotas:
        - modelName: gpt-4o
          quota: {defaultBucket: {limit: 1, duration: 1s}}
        - modelName: gpt-4o-mini
          quota:
            costExpression: "output_tokens +"
            defaultBucket: {limit: 1, duration: 1m}
      """;

  static final ObjectKey QUOTA_KEY =
      new ObjectKey("aigateway.envoyproxy.io", "QuotaPolicy", "default", "budget");
  static final ObjectKey LATER_KEY =
      new ObjectKey("aigateway.envoyproxy.io", "QuotaPolicy", "default", "later");

  final GatewayProjection projection = new GatewayProjection();

  GatewayState fold(Fixtures.Log log) {
    return projection.applyAll(projection.initial(), log.entries());
  }

  static BackendQuota quotaOf(GatewayState state) {
    Backend backend = state.filterConfigs().get(ROUTE_KEY).backends().get(0);
    return backend.quota();
  }

  static final ModelQuota GPT_4O =
      new ModelQuota(
          "gpt-4o",
          "default/budget",
          "input_tokens + output_tokens * 6u",
          new ClientBucket(List.of(), 10000, "1h", false),
          List.of(
              new ClientBucket(
                  List.of(
                      new HeaderSelector("x-tenant", HeaderSelector.Type.Distinct, null, false)),
                  5000,
                  "1h",
                  true)));

  @Test
  void theBackendsBudgetsReachTheRoutesConfigAndWhatIsLeftOutIsInThePolicysStatus() {
    GatewayState state =
        fold(new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND + "---\n" + QUOTA));

    assertThat(quotaOf(state))
        .isEqualTo(
            new BackendQuota(
                new BackendQuota.ServiceQuota("default/budget", "total_tokens", 1000000, "1d"),
                List.of(GPT_4O)));
    // the rule that also selects by method is left out: applying its headers alone would widen it
    assertThat(state.statuses().get(QUOTA_KEY).isAccepted()).isFalse();
    assertThat(message(state, QUOTA_KEY))
        .isEqualTo(
            "spec.perModelQuotas[0].quota.bucketRules[1].clientSelectors[0]: methods not applied:"
                + " aigw selects clients by headers only; the bucket rule is left out");
    assertThat(state.statuses().get(QUOTA_KEY).observedGeneration()).isEqualTo(4);
    assertThat(state.statuses().get(ROUTE_KEY).isAccepted()).isTrue();
  }

  @Test
  void theFirstPolicyByNameGivesAModelsQuotaAndACostThatCannotBeComputedIsLeftOut() {
    GatewayState state =
        fold(new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND).upsert(LATER).upsert(QUOTA));

    // budget's gpt-4o wins over later's; later's gpt-4o-mini has a cost that does not compile
    assertThat(quotaOf(state).models()).containsExactly(GPT_4O);
    assertThat(message(state, LATER_KEY))
        .startsWith("spec.perModelQuotas[1].quota.costExpression: does not compile")
        .contains("; the quota is left out; ")
        .endsWith(
            "spec.perModelQuotas[0]: not applied to AIServiceBackend default/openai: QuotaPolicy"
                + " default/budget gives model gpt-4o a quota there and comes first by"
                + " namespace/name");

    // the winner goes: later's gpt-4o applies, and its status no longer says it gives way
    GatewayState without =
        fold(
            new Fixtures.Log()
                .upsert(ROUTE + "---\n" + BACKEND)
                .upsert(LATER)
                .upsert(QUOTA)
                .delete(QUOTA));
    assertThat(quotaOf(without).models())
        .extracting(ModelQuota::model, ModelQuota::policy)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("gpt-4o", "default/later"));
    assertThat(message(without, LATER_KEY)).doesNotContain("comes first");
  }

  @Test
  void aHeaderAigwCannotMatchAsWrittenLeavesItsBucketRuleOut() {
    String quota =
        QUOTA.replace(
            "[{name: X-Tenant, type: Distinct}]", "[{name: X-Tenant, type: Distinct, value: a}]");
    GatewayState state =
        fold(new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND + "---\n" + quota));
    assertThat(quotaOf(state).models().get(0).buckets()).isEmpty();
    assertThat(message(state, QUOTA_KEY))
        .startsWith(
            "spec.perModelQuotas[0].quota.bucketRules[0].clientSelectors[0].headers[0]: a Distinct"
                + " header takes no value and no invert (each value is a bucket); the bucket rule"
                + " is left out; ");
  }

  @Test
  void aQuotaPolicyChangedOrDeletedChangesTheRoutesConfigAndAnAcceptedOneSaysSo() {
    String accepted =
        """
        apiVersion: aigateway.envoyproxy.io/v1alpha1
        kind: QuotaPolicy
        metadata: {name: budget, namespace: default}
        spec:
          targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: openai}]
          perModelQuotas:
          - modelName: gpt
            quota: {defaultBucket: {limit: 100, duration: 1m}}
        """;
    Fixtures.Log log = new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND);
    GatewayState before = fold(log);
    assertThat(quotaOf(before)).isNull();

    GatewayState withQuota = fold(log.upsert(accepted));
    assertThat(quotaOf(withQuota).models())
        .extracting(ModelQuota::model, ModelQuota::defaultBucket)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "gpt", new ClientBucket(List.of(), 100, "1m", false)));
    assertThat(message(withQuota, QUOTA_KEY)).isEqualTo("QuotaPolicy reconciled successfully");

    GatewayState deleted = fold(log.delete(accepted));
    assertThat(quotaOf(deleted)).isNull();
    assertThat(deleted.statuses()).doesNotContainKey(QUOTA_KEY);
  }

  @Test
  void aPolicyTargetingAnotherBackendLeavesTheRouteAloneAndSaysWhenThatBackendIsMissing() {
    GatewayState state =
        fold(
            new Fixtures.Log()
                .upsert(ROUTE + "---\n" + BACKEND)
                .upsert(QUOTA.replace("name: openai}", "name: other}")));
    assertThat(quotaOf(state)).isNull();
    assertThat(message(state, QUOTA_KEY))
        .startsWith("spec.targetRefs[0]: AIServiceBackend default/other not found; ");

    // the backend appears: the policy's status follows
    String other = BACKEND.replace("name: openai, namespace", "name: other, namespace");
    GatewayState withBackend =
        fold(
            new Fixtures.Log()
                .upsert(ROUTE + "---\n" + BACKEND)
                .upsert(QUOTA.replace("name: openai}", "name: other}"))
                .upsert(other));
    assertThat(message(withBackend, QUOTA_KEY)).doesNotContain("targetRefs");
  }
}
