package io.aigw.extproc.server;

import io.aigw.extproc.processor.ExchangeObserver;
import io.aigw.extproc.processor.ExchangeSummary;
import io.aigw.extproc.processor.RequestBodyBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what needs an operator's eye (bugs, missing credentials) and passes everything on to the
 * metrics observer. Never logs a credential: only backend names and reasons.
 */
final class LoggingObserver implements ExchangeObserver {

  private static final Logger log = LoggerFactory.getLogger("io.aigw.extproc");

  private final ExchangeObserver next;

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
    log.atWarn()
        .addKeyValue("backend", backend)
        .addKeyValue("reason", reason)
        .log("backend credential unavailable; request refused");
    next.credentialUnavailable(backend, reason);
  }

  @Override
  public void bodyBudget(RequestBodyBudget bodies) {
    log.atInfo()
        .addKeyValue("limitBytes", bodies.limit())
        .log("request bodies taken on at once are limited to a sixth of the heap");
    next.bodyBudget(bodies);
  }

  @Override
  public void overloaded(long bytes) {
    // a burst refuses many at once: the count is in the metrics, one line per refusal is noise
    next.overloaded(bytes);
  }
}
