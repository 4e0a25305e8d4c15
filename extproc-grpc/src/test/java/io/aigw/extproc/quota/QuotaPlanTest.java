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

  private static QuotaPlan plan(ServiceQuota service, ModelQuota... models) {
    return QuotaPlan.compile("ns/b", new BackendQuota(service, List.of(models)));
  }

  private void spend(QuotaClaim claim, long input, long output) {
    claim.charge(
        ledger,
        usage(input, output),
        CONTEXT,
        (policy, e) -> {
          throw e;
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
    assertThat(spent.policies()).containsExactly("ns/q");

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
        new ClientBucket(
            List.of(new HeaderSelector("X-Tenant", HeaderSelector.Type.Exact, "vip", false)),
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
        new ClientBucket(
            List.of(new HeaderSelector("x-tenant", HeaderSelector.Type.Distinct, null, false)),
            10,
            "1h",
            true);
    QuotaPlan plan = plan(null, model("total_tokens", 1000, shadow));
    QuotaClaim claim = plan.claim("gpt-4o", headers(Map.of("x-tenant", "a")), NOW);
    spend(claim, 50, 50);
    assertThat(ledger.size()).as("the default bucket and tenant a's shadow bucket").isEqualTo(2);
    assertThat(plan.claim("gpt-4o", headers(Map.of("x-tenant", "a")), NOW).allows(ledger)).isTrue();
  }

  @Test
  void aDistinctHeaderGivesEveryValueABucketOfItsOwn() {
    ClientBucket perTenant =
        new ClientBucket(
            List.of(new HeaderSelector("x-tenant", HeaderSelector.Type.Distinct, null, false)),
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
        new ClientBucket(
            List.of(new HeaderSelector("x-kind", HeaderSelector.Type.Exact, "batch", false)),
            10,
            "1h",
            false);
    QuotaPlan plan =
        QuotaPlan.compile(
            "ns/b",
            new BackendQuota(
                null,
                List.of(new ModelQuota("gpt-4o", "ns/q", "total_tokens", null, List.of(batch)))));
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
        new ClientBucket(
            List.of(new HeaderSelector("x-kind", HeaderSelector.Type.Exact, "batch", true)),
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
        .charge(ledger, usage(1, 5), CONTEXT, (policy, e) -> failed.add(policy));
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
  void aFullLedgerSweepsEndedWindowsAndOtherwiseLeavesNewBucketsUncounted() {
    QuotaLedger small = new QuotaLedger(2);
    assertThat(small.draw("a", 0, 1000, 5)).isTrue();
    assertThat(small.draw("b", 1000, 2000, 5)).isTrue();
    assertThat(small.draw("c", 1000, 2000, 5)).as("a's window ended: swept").isTrue();
    assertThat(small.used("a", 0)).isZero();
    assertThat(small.draw("d", 1500, 2500, 5)).as("b and c still count").isFalse();
    assertThat(small.used("b", 1000)).isEqualTo(5);
    // a late draw for a window a later one replaced is dropped
    small.draw("b", 2000, 3000, 1);
    small.draw("b", 1000, 2000, 7);
    assertThat(small.used("b", 2000)).isEqualTo(1);
  }
}
