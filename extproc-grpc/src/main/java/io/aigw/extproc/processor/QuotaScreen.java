package io.aigw.extproc.processor;

import io.aigw.extproc.quota.QuotaClaim;
import io.aigw.extproc.quota.QuotaLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The candidates of a rule whose backends' token budgets let a request through, with the buckets
 * the request draws on at each. A candidate's budgets are those of the model it would send (its
 * override, else the request's).
 */
final class QuotaScreen {

  private final List<BackendChoice> open;
  private final List<QuotaClaim> claims;
  private final long millisUntilOpen;
  private final Set<String> spentPolicies;

  private QuotaScreen(
      List<BackendChoice> open,
      List<QuotaClaim> claims,
      long millisUntilOpen,
      Set<String> spentPolicies) {
    this.open = open;
    this.claims = claims;
    this.millisUntilOpen = millisUntilOpen;
    this.spentPolicies = spentPolicies;
  }

  /**
   * @param header a lower-case header's value, null when absent
   * @param now wall-clock milliseconds
   */
  static QuotaScreen of(
      List<BackendChoice> candidates,
      String requestModel,
      Function<String, String> header,
      QuotaLedger ledger,
      long now) {
    List<BackendChoice> open = new ArrayList<>(candidates.size());
    List<QuotaClaim> claims = new ArrayList<>(candidates.size());
    long untilOpen = Long.MAX_VALUE;
    Set<String> spent = new TreeSet<>();
    for (BackendChoice choice : candidates) {
      String model = choice.modelNameOverride().orElse(requestModel);
      QuotaClaim claim =
          choice
              .target()
              .quota()
              .map(plan -> plan.claim(model, header, now))
              .orElse(QuotaClaim.NONE);
      if (claim.allows(ledger)) {
        open.add(choice);
        claims.add(claim);
      } else {
        untilOpen = Math.min(untilOpen, claim.millisUntilAllowed(ledger, now));
        spent.addAll(claim.spentPolicies(ledger));
      }
    }
    return new QuotaScreen(open, claims, untilOpen, spent);
  }

  /** The candidates with budget left, in the rule's order. */
  List<BackendChoice> open() {
    return open;
  }

  /** The buckets a request sent to {@code choice} (one of {@link #open}) draws on. */
  QuotaClaim claimOf(BackendChoice choice) {
    for (int i = 0; i < open.size(); i++) {
      if (open.get(i) == choice) {
        return claims.get(i);
      }
    }
    return QuotaClaim.NONE;
  }

  /** The QuotaPolicies of the candidates passed over, in name order. */
  Set<String> spentPolicies() {
    return spentPolicies;
  }

  /**
   * When every candidate is spent: the seconds until the first of them has budget again, at least
   * one, for {@code retry-after}.
   */
  int retryAfterSeconds() {
    long seconds = (millisUntilOpen + 999) / 1000;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds));
  }
}
