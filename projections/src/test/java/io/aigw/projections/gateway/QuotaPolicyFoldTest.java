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

  /** Folds {@code log} onto {@code state} entry by entry, reading every state's outputs. */
  GatewayState foldOn(GatewayState state, Fixtures.Log log) {
    return Fixtures.foldReadingEach(projection, state, log);
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

    // the winner goes, folded onto the state read above: later's gpt-4o applies, and its status
    // no longer says it gives way
    GatewayState without = foldOn(state, new Fixtures.Log(100).delete(QUOTA));
    assertThat(quotaOf(without).models())
        .extracting(ModelQuota::model, ModelQuota::policy)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("gpt-4o", "default/later"));
    assertThat(message(without, LATER_KEY)).doesNotContain("comes first");
  }

  @Test
  void aPolicyRetargetedElsewhereNoLongerTakesAModelFromTheOthersOfItsOldBackend() {
    String other = BACKEND.replace("name: openai, namespace", "name: other, namespace");
    GatewayState state =
        fold(
            new Fixtures.Log()
                .upsert(ROUTE + "---\n" + BACKEND + "---\n" + other)
                .upsert(LATER)
                .upsert(QUOTA));
    assertThat(message(state, LATER_KEY)).contains("comes first");

    GatewayState moved =
        foldOn(state, new Fixtures.Log(100).upsert(QUOTA.replace("name: openai}", "name: other}")));
    assertThat(message(moved, LATER_KEY)).doesNotContain("comes first");
    assertThat(quotaOf(moved).models())
        .extracting(ModelQuota::policy)
        .containsExactly("default/later");
  }

  @Test
  void aBackendThatGoesAndComesBackIsNamedMissingThenNotInTheStatusOfItsQuotaPolicy() {
    GatewayState state = fold(new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND).upsert(LATER));
    assertThat(message(state, LATER_KEY)).doesNotContain("not found");
    GatewayState gone = foldOn(state, new Fixtures.Log(100).delete(BACKEND));
    assertThat(message(gone, LATER_KEY))
        .startsWith("spec.targetRefs[0]: AIServiceBackend default/openai not found");
    GatewayState back = foldOn(gone, new Fixtures.Log(200).upsert(BACKEND));
    assertThat(message(back, LATER_KEY)).doesNotContain("not found");
  }

  @Test
  void theFirstPolicyByNameGivesTheServiceQuotaAndTheOtherIsTold() {
    String second =
        QUOTA
            .replace(
                "name: budget, namespace: default, generation: 4",
                "name: second, namespace: default")
            .replace("limit: 1000000, duration: 1d", "limit: 5, duration: 1m");
    GatewayState state =
        fold(new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND).upsert(second).upsert(QUOTA));
    assertThat(quotaOf(state).service().policy()).isEqualTo("default/budget");
    assertThat(
            message(
                state,
                new ObjectKey("aigateway.envoyproxy.io", "QuotaPolicy", "default", "second")))
        .contains(
            "spec.serviceQuota: not applied to AIServiceBackend default/openai: QuotaPolicy"
                + " default/budget gives it one and comes first by namespace/name");
  }

  @Test
  void aModelQuotaNoneOfWhoseBucketsAppliesIsLeftOutForTheNextPolicysAndAModelGivenTwiceToo() {
    String methodsOnly =
        """
        apiVersion: aigateway.envoyproxy.io/v1alpha1
        kind: QuotaPolicy
        metadata: {name: aaa, namespace: default}
        spec:
          targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: openai}]
          perModelQuotas:
          - modelName: gpt-4o
            quota:
              bucketRules:
              - clientSelectors: [{methods: [{value: POST}]}]
                quota: {limit: 1, duration: 1m}
          - modelName: gpt-4o-mini
            quota: {defaultBucket: {limit: 1, duration: 1m}}
          - modelName: gpt-4o-mini
            quota: {defaultBucket: {limit: 9, duration: 1m}}
        """;
    GatewayState state =
        fold(
            new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND).upsert(methodsOnly).upsert(QUOTA));
    assertThat(quotaOf(state).models())
        .extracting(ModelQuota::model, ModelQuota::policy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("gpt-4o-mini", "default/aaa"),
            org.assertj.core.groups.Tuple.tuple("gpt-4o", "default/budget"));
    assertThat(quotaOf(state).models().get(0).defaultBucket().limit()).isEqualTo(1);
    assertThat(
            message(
                state, new ObjectKey("aigateway.envoyproxy.io", "QuotaPolicy", "default", "aaa")))
        .contains(
            "spec.perModelQuotas[0].quota: no bucket applies (no defaultBucket, and every bucket"
                + " rule is left out); the quota is left out")
        .contains(
            "spec.perModelQuotas[2]: model gpt-4o-mini has a quota at spec.perModelQuotas[1]"
                + " already; this one is left out");
  }

  @Test
  void headersWithoutAValueOrWithABadExpressionLeaveTheirRulesOut() {
    String quota =
        QUOTA
            .replace(
                "[{name: X-Tenant, type: Distinct}]",
                "[{name: X-Tenant, type: Distinct, invert: true}, {name: x-a, type: Exact}]")
            .replace(
                "[{name: x-team, value: ml}]",
                "[{name: x-team, type: RegularExpression, value: \"(\"}]");
    GatewayState state =
        fold(new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND + "---\n" + quota));
    assertThat(quotaOf(state).models().get(0).buckets()).isEmpty();
    assertThat(message(state, QUOTA_KEY))
        .contains(
            "bucketRules[0].clientSelectors[0].headers[0]: a Distinct header takes no value and no invert")
        .contains("bucketRules[0].clientSelectors[0].headers[1].value: required for type Exact")
        .contains("bucketRules[1].clientSelectors[0].headers[0].value: invalid regular expression");
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
