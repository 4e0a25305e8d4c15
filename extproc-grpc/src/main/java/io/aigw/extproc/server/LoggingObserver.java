package io.aigw.extproc.server;

import io.aigw.extproc.processor.ExchangeObserver;
import io.aigw.extproc.processor.ExchangeSummary;
import io.aigw.extproc.processor.RequestBodyBudget;
import io.aigw.extproc.quota.QuotaUsage;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what needs an operator's eye (bugs, missing credentials) and passes everything on to the
 * metrics observer. Never logs a credential: only backend names and reasons.
 */
final class LoggingObserver implements ExchangeObserver {

  private static final Logger log = LoggerFactory.getLogger("io.aigw.extproc");

  /** How often a backend's missing credential is said again while its requests keep failing. */
  static final long REPEAT_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final ExchangeObserver next;
  private final WarningGate credentialWarnings = new WarningGate(REPEAT_NANOS);
  private final WarningGate quotaWarnings = new WarningGate(REPEAT_NANOS);

  LoggingObserver(ExchangeObserver next) {
    this.next = next;
  }

  @Override
  public void completed(ExchangeSummary summary) {
    next.completed(summary);
  }

  @Override
  public void phaseTime(String phase, long nanos) {
    next.phaseTime(phase, nanos);
  }

  @Override
  public void internalError(String phase, RuntimeException error) {
    log.atError().addKeyValue("phase", phase).setCause(error).log("ExtProc processing failed");
    next.internalError(phase, error);
  }

  @Override
  public void credentialUnavailable(String backend, String reason) {
    credentialWarnings
        .pass(backend + "\n" + reason, System.nanoTime())
        .ifPresent(
            heldBack ->
                log.atWarn()
                    .addKeyValue("backend", backend)
                    .addKeyValue("reason", reason)
                    .addKeyValue("refusedSinceLastSaid", heldBack)
                    .log(
                        "backend credential unavailable; request refused (said at most once a"
                            + " minute; aigw_extproc_errors_total counts them all)"));
    next.credentialUnavailable(backend, reason);
  }

  @Override
  public void quotaUsage(Supplier<List<QuotaUsage>> usage) {
    next.quotaUsage(usage);
  }

  @Override
  public void quotaNotCounted(String policy) {
    quotaWarnings
        .pass(policy, System.nanoTime())
        .ifPresent(
            heldBack ->
                log.atWarn()
                    .addKeyValue("policy", policy)
                    .addKeyValue("notCountedSinceLastSaid", heldBack)
                    .log(
                        "quota ledger full: a new Distinct bucket is not counted until windows"
                            + " end (said at most once a minute; aigw_extproc_errors_total counts"
                            + " them all)"));
    next.quotaNotCounted(policy);
  }

  @Override
  public void bodyBudget(RequestBodyBudget bodies) {
    log.atInfo()
        .addKeyValue("limitBytes", bodies.limit())
        .log("request bodies taken on at once are limited to a sixth of the heap");
    next.bodyBudget(bodies);
  }

  @Override
  public void modelsDeclared(Set<String> models) {
    next.modelsDeclared(models);
  }

  @Override
  public void overloaded(long bytes) {
    // a burst refuses many at once: the count is in the metrics, one line per refusal is noise
    next.overloaded(bytes);
  }
}
