package io.aigw.extproc.quota;

/**
 * Builds the name of a counter in the ledger from parts, each written with its length first, so no
 * part, whatever characters a config or a header puts in it, can make two names equal.
 */
final class CounterName {

  private final StringBuilder name = new StringBuilder(64);

  CounterName(String first) {
    part(first);
  }

  private CounterName(CounterName base) {
    name.append(base.name);
  }

  /** A copy, to extend without changing this one. */
  CounterName copy() {
    return new CounterName(this);
  }

  CounterName part(String value) {
    String text = String.valueOf(value);
    name.append(text.length()).append(':').append(text);
    return this;
  }

  CounterName part(long value) {
    return part(Long.toString(value));
  }

  @Override
  public String toString() {
    return name.toString();
  }
}
