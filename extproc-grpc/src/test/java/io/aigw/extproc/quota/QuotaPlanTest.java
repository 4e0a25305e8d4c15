package io.aigw.extproc.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.filterconfig.BackendQuota;
import io.aigw.core.filterconfig.BackendQuota.ClientBucket;
import io.aigw.core.filterconfig.BackendQuota.HeaderSelector;
import io.aigw.core.filterconfig.BackendQuota.ModelQuota;
import io.aigw.core.filterconfig.BackendQuota.ServiceQuota;
import io.aigw.extproc.usage.CostContext;
import io.aigw.extproc.usage.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class QuotaPlanTest {

  // 2026-11-29T10:15:00Z: a quarter past an hour
  private static final long NOW = 1_796_120_100_000L;
  private static final long HOUR = 3_600_000L;
  private static final CostContext CONTEXT = new CostContext("gpt-4o", "ns/b", "ns/route");

  private final QuotaLedger ledger = new QuotaLedger();

  private static TokenUsage usage(long input, long output) {
    return new TokenUsage(
        OptionalLong.of(input),
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.of(output),
        OptionalLong.of(input + output),
        OptionalLong.empty());
  }

  private static Function<String, String> headers(Map<String, String> values) {
    return values::get;
  }

  private static ModelQuota model(String cost, long limit, ClientBucket... buckets) {
    return new ModelQuota(
        "gpt-4o", "ns/q", cost, new ClientBucket(List.of(), limit, "1h", false), List.of(buckets));
  }

  /** A bucket of the requests {@code header} selects. */
  private static ClientBucket bucket(
      HeaderSelector header, long limit, String duration, boolean shadow) {
    return new ClientBucket(List.of(header), limit, duration, shadow);
  }

  /** Budgets of gpt-4o with no default bucket: only {@code buckets}. */
  private static QuotaPlan withoutDefault(ClientBucket... buckets) {
    return plan(null, new ModelQuota("gpt-4o", "ns/q", "total_tokens", null, List.of(buckets)));
  }

  private static QuotaPlan plan(ServiceQuota service, ModelQuota... models) {
    return QuotaPlan.compile("ns/b", new BackendQuota(service, List.of(models)));
  }

  private void spend(QuotaClaim claim, long input, long output) {
    spend(claim, input, output, NOW);
  }

  /** Charges {@code claim} for a response that ended at {@code end}. */
  private void spend(QuotaClaim claim, long input, long output, long end) {
    claim.charge(
        ledger,
        usage(input, output),
        CONTEXT,
        end,
        (policy, e) -> {
          throw e;
        },
        policy -> {
          throw new AssertionError("not counted: " + policy);
        });
  }

  @Test
  void aModelBudgetLetsRequestsThroughUntilItsWindowIsSpentThenStartsAfreshNextWindow() {
    QuotaPlan plan = plan(null, model("total_tokens", 100));
    QuotaClaim first = plan.claim("gpt-4o", headers(Map.of()), NOW);
    assertThat(first.allows(ledger)).isTrue();
    spend(first, 60, 30);
    assertThat(plan.claim("gpt-4o", headers(Map.of()), NOW + 1).allows(ledger)).isTrue();
    spend(plan.claim("gpt-4o", headers(Map.of()), NOW + 1), 5, 5);

    QuotaClaim spent = plan.claim("gpt-4o", headers(Map.of()), NOW + 2);
    assertThat(spent.allows(ledger)).isFalse();
    // the window of 1h started at 10:00, so it ends at 11:00: 45 minutes less 2 ms
    assertThat(spent.millisUntilAllowed(ledger, NOW + 2)).isEqualTo(45 * 60_000L - 2);
    assertThat(spent.spentPolicies(ledger)).containsExactly("ns/q");

    long nextHour = NOW - NOW % HOUR + HOUR;
    assertThat(plan.claim("gpt-4o", headers(Map.of()), nextHour).allows(ledger)).isTrue();
  }

  @Test
  void anotherModelOrABackendWithoutBudgetsClaimsNothing() {
    QuotaPlan plan = plan(null, model("total_tokens", 1));
    QuotaClaim other = plan.claim("gpt-4o-mini", headers(Map.of()), NOW);
    assertThat(other.isEmpty()).isTrue();
    assertThat(other.allows(ledger)).isTrue();
    assertThat(QuotaClaim.NONE.allows(ledger)).isTrue();
  }

  @Test
  void theCostIsTheCelExpressionOfTheUsage() {
    QuotaPlan plan = plan(null, model("input_tokens + output_tokens * 6u", 100));
    spend(plan.claim("gpt-4o", headers(Map.of()), NOW), 10, 14); // 10 + 84 = 94
    assertThat(plan.claim("gpt-4o", headers(Map.of()), NOW).allows(ledger)).isTrue();
    spend(plan.claim("gpt-4o", headers(Map.of()), NOW), 6, 0); // 100
    assertThat(plan.claim("gpt-4o", headers(Map.of()), NOW).allows(ledger)).isFalse();
  }

  @Test
  void aClientWithABucketOfItsOwnGoesOnWhenTheDefaultBucketIsSpentAndOthersDoNot() {
    ClientBucket vip =
        bucket(
            new HeaderSelector("X-Tenant", HeaderSelector.Type.Exact, "vip", false),
            1000,
            "1h",
            false);
    QuotaPlan plan = plan(null, model("total_tokens", 50, vip));
    spend(plan.claim("gpt-4o", headers(Map.of("x-tenant", "vip")), NOW), 40, 20);

    // the default bucket is spent (60 of 50): others are refused, the vip is not
    assertThat(plan.claim("gpt-4o", headers(Map.of("x-tenant", "other")), NOW).allows(ledger))
        .isFalse();
    assertThat(plan.claim("gpt-4o", headers(Map.of()), NOW).allows(ledger)).isFalse();
    assertThat(plan.claim("gpt-4o", headers(Map.of("x-tenant", "vip")), NOW).allows(ledger))
        .isTrue();
  }

  @Test
  void aShadowBucketIsCountedButNeverRefuses() {
    ClientBucket shadow =
        bucket(
            new HeaderSelector("x-tenant", HeaderSelector.Type.Distinct, null, false),
            10,
            "1h",
            true);
    // no default bucket: the shadow bucket is the only one the request falls in
    QuotaPlan plan = withoutDefault(shadow);
    QuotaClaim claim = plan.claim("gpt-4o", headers(Map.of("x-tenant", "a")), NOW);
    spend(claim, 50, 50);
    assertThat(ledger.size()).as("tenant a's shadow bucket counted").isEqualTo(1);
    spend(claim, 50, 50);
    assertThat(claim.spentPolicies(ledger)).as("a shadow bucket refuses nothing").isEmpty();
    assertThat(plan.claim("gpt-4o", headers(Map.of("x-tenant", "a")), NOW).allows(ledger)).isTrue();
  }

  @Test
  void aResponseIsChargedInTheWindowItEndsInNotTheOneItStartedIn() {
    ClientBucket perSecond = new ClientBucket(List.of(), 10, "1s", false);
    QuotaPlan plan =
        QuotaPlan.compile(
            "ns/b",
            new BackendQuota(
                null,
                List.of(new ModelQuota("gpt-4o", "ns/q", "total_tokens", perSecond, List.of()))));
    // a stream of three seconds
    QuotaClaim claim = plan.claim("gpt-4o", headers(Map.of()), NOW);
    spend(claim, 10, 10, NOW + 3_000);
    assertThat(plan.claim("gpt-4o", headers(Map.of()), NOW + 3_000).allows(ledger)).isFalse();
    assertThat(plan.claim("gpt-4o", headers(Map.of()), NOW + 4_000).allows(ledger)).isTrue();
  }

  @Test
  void aBucketKeepsItsCountWhenARuleIsAddedBeforeItOrItsLimitChanges() {
    ClientBucket vip =
        bucket(
            new HeaderSelector("x-tenant", HeaderSelector.Type.Exact, "vip", false),
            100,
            "1h",
            false);
    ClientBucket batch =
        bucket(
            new HeaderSelector("x-kind", HeaderSelector.Type.Exact, "batch", false),
            100,
            "1h",
            false);
    QuotaPlan before = plan(null, model("total_tokens", 0, vip));
    spend(before.claim("gpt-4o", headers(Map.of("x-tenant", "vip")), NOW), 60, 0);

    ClientBucket vipRaised = new ClientBucket(vip.headers(), 70, "1h", false);
    QuotaPlan after = plan(null, model("total_tokens", 0, batch, vipRaised));
    spend(after.claim("gpt-4o", headers(Map.of("x-tenant", "vip")), NOW), 10, 0);
    assertThat(after.claim("gpt-4o", headers(Map.of("x-tenant", "vip")), NOW).allows(ledger))
        .as("70 of 70 in vip's bucket, which kept its 60")
        .isFalse();
    assertThat(after.claim("gpt-4o", headers(Map.of("x-kind", "batch")), NOW).allows(ledger))
        .as("the new rule's bucket starts empty")
        .isTrue();
  }

  @Test
  void twoRulesSelectingTheSameRequestsDrawACounterEach() {
    ClientBucket all = new ClientBucket(List.of(), 50, "1h", false);
    QuotaPlan plan = withoutDefault(all, all);
    spend(plan.claim("gpt-4o", headers(Map.of()), NOW), 40, 0);
    // 40 of 50 in each: were they one counter, it would hold 80 and both be spent
    assertThat(ledger.size()).isEqualTo(2);
    assertThat(plan.claim("gpt-4o", headers(Map.of()), NOW).allows(ledger)).isTrue();
  }

  @Test
  void aDistinctHeaderGivesEveryValueABucketOfItsOwn() {
    ClientBucket perTenant =
        bucket(
            new HeaderSelector("x-tenant", HeaderSelector.Type.Distinct, null, false),
            30,
            "1m",
            false);
    // a default bucket of nothing, always spent: only the tenants' own buckets let requests go
    QuotaPlan plan = plan(null, model("total_tokens", 0, perTenant));
    assertThat(plan.claim("gpt-4o", headers(Map.of("x-tenant", "a")), NOW).allows(ledger)).isTrue();
    spend(plan.claim("gpt-4o", headers(Map.of("x-tenant", "a")), NOW), 20, 10);
    assertThat(plan.claim("gpt-4o", headers(Map.of("x-tenant", "a")), NOW).allows(ledger))
        .isFalse();
    assertThat(plan.claim("gpt-4o", headers(Map.of("x-tenant", "b")), NOW).allows(ledger)).isTrue();
    // without the header the request is in no tenant's bucket: only the (spent) default one
    assertThat(plan.claim("gpt-4o", headers(Map.of()), NOW).allows(ledger)).isFalse();
  }

  @Test
  void withoutADefaultBucketARequestInNoBucketGoesAndOneInASpentBucketDoesNot() {
    ClientBucket batch =
        bucket(
            new HeaderSelector("x-kind", HeaderSelector.Type.Exact, "batch", false),
            10,
            "1h",
            false);
    QuotaPlan plan = withoutDefault(batch);
    spend(plan.claim("gpt-4o", headers(Map.of("x-kind", "batch")), NOW), 10, 0);
    assertThat(plan.claim("gpt-4o", headers(Map.of("x-kind", "batch")), NOW).allows(ledger))
        .isFalse();
    assertThat(plan.claim("gpt-4o", headers(Map.of()), NOW).allows(ledger)).isTrue();
  }

  @Test
  void regularExpressionsMatchTheWholeValueAndInvertTakesTheOthers() {
    ClientBucket internal =
        new ClientBucket(
            List.of(
                new HeaderSelector(
                    "x-team", HeaderSelector.Type.RegularExpression, "ml-.*", false)),
            100,
            "1h",
            false);
    ClientBucket notBatch =
        bucket(
            new HeaderSelector("x-kind", HeaderSelector.Type.Exact, "batch", true),
            100,
            "1h",
            false);
    QuotaPlan plan = plan(null, model("total_tokens", 0, internal, notBatch));
    assertThat(
            plan.claim("gpt-4o", headers(Map.of("x-team", "ml-a", "x-kind", "batch")), NOW)
                .allows(ledger))
        .isTrue();
    assertThat(
            plan.claim("gpt-4o", headers(Map.of("x-team", "xml-a", "x-kind", "batch")), NOW)
                .allows(ledger))
        .as("the expression must match the whole value, and invert excludes batch")
        .isFalse();
    assertThat(plan.claim("gpt-4o", headers(Map.of("x-team", "xml-a")), NOW).allows(ledger))
        .as("an absent header does not match, so its inverse does")
        .isTrue();
  }

  @Test
  void aSpentServiceBudgetStopsEveryModelWhateverItsBucketsHold() {
    QuotaPlan plan =
        plan(new ServiceQuota("ns/s", "output_tokens", 10, "1d"), model("total_tokens", 1000));
    QuotaClaim claim = plan.claim("gpt-4o", headers(Map.of()), NOW);
    spend(claim, 500, 10);
    assertThat(plan.claim("gpt-4o", headers(Map.of()), NOW).allows(ledger)).isFalse();
    assertThat(plan.claim("other-model", headers(Map.of()), NOW).allows(ledger)).isFalse();
    // the day ends at midnight: 13 h 45 min from 10:15
    assertThat(plan.claim("other-model", headers(Map.of()), NOW).millisUntilAllowed(ledger, NOW))
        .isEqualTo((13 * 60 + 45) * 60_000L);
  }

  @Test
  void aCostThatFailsIsReportedAndTheOtherBudgetsAreStillDrawn() {
    QuotaPlan plan =
        plan(
            new ServiceQuota("ns/s", "total_tokens", 100, "1h"),
            model("input_tokens - output_tokens", 100)); // negative here: no valid cost
    List<String> failed = new ArrayList<>();
    plan.claim("gpt-4o", headers(Map.of()), NOW)
        .charge(ledger, usage(1, 5), CONTEXT, NOW, (policy, e) -> failed.add(policy), p -> {});
    assertThat(failed).containsExactly("ns/q");
    assertThat(ledger.size()).as("the service budget only").isEqualTo(1);
  }

  @Test
  void invalidExpressionsAndWindowsAreRefusedWhenTheConfigIsCompiled() {
    assertThatThrownBy(() -> plan(null, model("input_tokens +", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ns/q");
    assertThatThrownBy(
            () ->
                QuotaPlan.compile(
                    "ns/b",
                    new BackendQuota(
                        null,
                        List.of(
                            new ModelQuota(
                                "m",
                                "ns/q",
                                "total_tokens",
                                new ClientBucket(List.of(), 1, "30s", false),
                                List.of())))))
        .hasMessageContaining("\"30s\" is none of 1s, 1m, 1h, 1d");
    ClientBucket bad =
        new ClientBucket(
            List.of(new HeaderSelector("x", HeaderSelector.Type.RegularExpression, "(", false)),
            1,
            "1h",
            false);
    assertThatThrownBy(() -> plan(null, model("total_tokens", 1, bad)))
        .hasMessageContaining("invalid regular expression");
  }

  @Test
  void aFullLedgerSweepsEndedWindowsRefusesNewDistinctBucketsAndStillCountsTheConfigs() {
    QuotaLedger small = new QuotaLedger(2);
    assertThat(small.draw("a", 0, 1000, 5, true, 500)).isTrue();
    assertThat(small.draw("b", 1000, 2000, 5, true, 1500)).isTrue();
    assertThat(small.draw("c", 1000, 2000, 5, true, 1500)).as("a's window ended: swept").isTrue();
    assertThat(small.used("a", 0)).isZero();
    assertThat(small.draw("d", 1500, 2500, 5, true, 1600)).as("b and c still count").isFalse();
    assertThat(small.draw("d", 1500, 2500, 5, true, 2100))
        .as("b and c ended at 2000, but the last sweep was at 1500: the next one is at 2500")
        .isFalse();
    assertThat(small.draw("d", 2500, 3500, 5, true, 2500)).as("swept").isTrue();
    assertThat(small.draw("service", 0, 86_400_000, 5, false, 1600))
        .as("a bucket the config names is always counted")
        .isTrue();
    assertThat(small.used("service", 0)).isEqualTo(5);
    // a late draw for a window a later one replaced is dropped
    small.draw("d", 3500, 4500, 1, true, 3500);
    small.draw("d", 2500, 3500, 7, true, 3500);
    assertThat(small.used("d", 3500)).isEqualTo(1);
  }

  @Test
  void aServiceBudgetHoldsAfterAFloodOfDistinctValuesFillsTheLedger() {
    QuotaLedger small = new QuotaLedger(3);
    ClientBucket perTenant =
        bucket(
            new HeaderSelector("x-tenant", HeaderSelector.Type.Distinct, null, false),
            1000,
            "1h",
            false);
    QuotaPlan plan =
        plan(
            new ServiceQuota("ns/s", "total_tokens", 100, "1d"),
            new ModelQuota("gpt-4o", "ns/q", "total_tokens", null, List.of(perTenant)));
    // the flood comes first: the ledger is full of tenants before the service is ever drawn
    for (int i = 0; i < 3; i++) {
      small.draw("tenant-" + i, NOW - NOW % HOUR, NOW - NOW % HOUR + HOUR, 1, true, NOW);
    }
    List<String> notCounted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      plan.claim("gpt-4o", headers(Map.of("x-tenant", "t" + i)), NOW)
          .charge(small, usage(30, 0), CONTEXT, NOW, (policy, e) -> {}, notCounted::add);
    }
    assertThat(notCounted).as("every tenant's bucket: no room").hasSize(5).containsOnly("ns/q");
    assertThat(plan.claim("gpt-4o", headers(Map.of("x-tenant", "t9")), NOW).allows(small))
        .as("the service was counted all the same: 150 of 100")
        .isFalse();
  }

  @Test
  void aDistinctBucketTheFullLedgerCannotCountLeavesTheDecisionToTheModelsOtherBuckets() {
    QuotaLedger small = new QuotaLedger(1);
    ClientBucket perTenant =
        bucket(
            new HeaderSelector("x-tenant", HeaderSelector.Type.Distinct, null, false),
            1000,
            "1h",
            false);
    QuotaPlan plan = plan(null, model("total_tokens", 10, perTenant));
    // the default bucket fills the ledger and is spent
    plan.claim("gpt-4o", headers(Map.of()), NOW)
        .charge(small, usage(10, 0), CONTEXT, NOW, (policy, e) -> {}, p -> {});
    assertThat(plan.claim("gpt-4o", headers(Map.of("x-tenant", "new")), NOW).allows(small))
        .as("a new tenant's bucket would read as unused; the spent default bucket decides")
        .isFalse();
  }

  @Test
  void whenTheServiceAndTheModelAreSpentTheRequestWaitsForBothAndBothPoliciesAreNamed() {
    QuotaPlan plan =
        plan(new ServiceQuota("ns/s", "total_tokens", 10, "1d"), model("total_tokens", 10));
    spend(plan.claim("gpt-4o", headers(Map.of()), NOW), 10, 0);
    QuotaClaim claim = plan.claim("gpt-4o", headers(Map.of()), NOW);
    assertThat(claim.allows(ledger)).isFalse();
    // the hour ends at 11:00, the day at midnight: the later of the two
    assertThat(claim.millisUntilAllowed(ledger, NOW)).isEqualTo((13 * 60 + 45) * 60_000L);
    assertThat(claim.spentPolicies(ledger)).containsExactly("ns/s", "ns/q");
  }

  @Test
  void onlyThePoliciesWhoseBudgetsAreSpentAreNamed() {
    QuotaPlan plan =
        plan(new ServiceQuota("ns/s", "total_tokens", 10, "1d"), model("total_tokens", 1000));
    spend(plan.claim("gpt-4o", headers(Map.of()), NOW), 10, 0);
    assertThat(plan.claim("gpt-4o", headers(Map.of()), NOW).spentPolicies(ledger))
        .as("the model's bucket has room")
        .containsExactly("ns/s");
  }

  @Test
  void drawsFromManyThreadsAddUpExactly() throws Exception {
    int threads = 8;
    int draws = 10_000;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < draws; i++) {
                    ledger.draw("shared", 0, HOUR, 1, false, 0);
                  }
                }));
      }
      for (java.util.concurrent.Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(ledger.used("shared", 0)).isEqualTo((long) threads * draws);
  }

  @Test
  void usageListsTheServiceBudgetThenEachModelsBucketsButNotThePerValueOnes() {
    ClientBucket perTenant =
        bucket(
            new HeaderSelector("x-tenant", HeaderSelector.Type.Distinct, null, false),
            10,
            "1m",
            false);
    ClientBucket notBatch =
        bucket(
            new HeaderSelector("x-kind", HeaderSelector.Type.Exact, "batch", true),
            50,
            "1m",
            false);
    QuotaPlan plan =
        plan(
            new ServiceQuota("ns/s", "total_tokens", 1000, "1d"),
            model("total_tokens", 100, perTenant, notBatch));
    spend(plan.claim("gpt-4o", headers(Map.of("x-tenant", "a")), NOW), 20, 5);

    assertThat(plan.usage(ledger, NOW))
        .containsExactly(
            new QuotaUsage("ns/b", "ns/s", "", "service", "1d", 1000, 25),
            new QuotaUsage("ns/b", "ns/q", "gpt-4o", "default", "1h", 100, 25),
            new QuotaUsage("ns/b", "ns/q", "gpt-4o", "!x-kind=batch", "1m", 50, 25));
    QuotaPlan twice =
        plan(null, model("total_tokens", 100, new ClientBucket(List.of(), 7, "1h", false)));
    assertThat(twice.usage(ledger, NOW))
        .extracting(QuotaUsage::bucket)
        .as("a rule selecting every request is labelled apart from the default bucket")
        .containsExactly("default", "default#2");
    assertThat(plan.usage(ledger, NOW + HOUR))
        .as("the next hour: the hourly and minute windows start afresh")
        .extracting(QuotaUsage::used)
        .containsExactly(25L, 0L, 0L);
  }

  @Test
  void aLongDistinctValueIsNamedByItsDigest() {
    assertThat(DistinctValue.of("tenant-a")).isEqualTo("tenant-a");
    String longValue = "x".repeat(10_000);
    assertThat(DistinctValue.of(longValue)).startsWith("sha256:").hasSize(7 + 64);
    assertThat(DistinctValue.of(longValue + "y")).isNotEqualTo(DistinctValue.of(longValue));
  }
}
