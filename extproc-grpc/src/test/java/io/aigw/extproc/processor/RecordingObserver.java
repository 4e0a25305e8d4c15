package io.aigw.extproc.processor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what it observes, for assertions. */
public final class RecordingObserver implements ExchangeObserver {

  public final List<ExchangeSummary> completed = new CopyOnWriteArrayList<>();
  public final List<RuntimeException> errors = new CopyOnWriteArrayList<>();
  public final List<String> credentialProblems = new CopyOnWriteArrayList<>();
  public final List<Long> overloads = new CopyOnWriteArrayList<>();

  @Override
  public void completed(ExchangeSummary summary) {
    completed.add(summary);
  }

  @Override
  public void internalError(String phase, RuntimeException error) {
    errors.add(error);
  }

  @Override
  public void credentialUnavailable(String backend, String reason) {
    credentialProblems.add(backend + ": " + reason);
  }

  @Override
  public void overloaded(long bytes) {
    overloads.add(bytes);
  }
}
