package io.aigw.watchers.secret;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The only place Secret values live in {@code aigw run}: in memory, keyed by namespace, name and
 * key, for the ExtProc to read. The log and the projections see digests only (see {@link
 * SecretDigester}). Thread-safe; every value handed in or out is copied, so no caller can change
 * what another one reads. {@link #toString()} never prints a value.
 */
public final class SecretValues {

  private final Map<SecretName, Map<String, byte[]>> secrets = new ConcurrentHashMap<>();

  private record SecretName(String namespace, String name) {}

  /** Replaces every key of one Secret with {@code values}. */
  public void put(String namespace, String name, Map<String, byte[]> values) {
    Map<String, byte[]> copy = new HashMap<>();
    values.forEach((key, value) -> copy.put(key, value.clone()));
    secrets.put(new SecretName(namespace, name), Map.copyOf(copy));
  }

  /** What this holds now, apart from it: later puts and removes here do not change it. */
  public SecretValues snapshot() {
    SecretValues copy = new SecretValues();
    // the values are copied on the way in and never changed in place: shared, not copied again
    copy.secrets.putAll(secrets);
    return copy;
  }

  /** Puts every Secret {@code other} holds, replacing those of the same names. */
  public void putAll(SecretValues other) {
    secrets.putAll(other.secrets);
  }

  /** Forgets every Secret {@code other} does not hold. */
  public void retainAll(SecretValues other) {
    secrets.keySet().retainAll(other.secrets.keySet());
  }

  /** Forgets one Secret (it was deleted). */
  public void remove(String namespace, String name) {
    secrets.remove(new SecretName(namespace, name));
  }

  /** The value of one key, when the Secret and the key exist. */
  public Optional<byte[]> get(String namespace, String name, String key) {
    Map<String, byte[]> values = secrets.get(new SecretName(namespace, name));
    byte[] value = values == null ? null : values.get(key);
    return value == null ? Optional.empty() : Optional.of(value.clone());
  }

  /**
   * The value of one key as UTF-8 text (API keys, credential files), so that {@code
   * secretValues::text} fits a lookup of {@code (namespace, name, key) -> Optional<String>}.
   */
  public Optional<String> text(String namespace, String name, String key) {
    return get(namespace, name, key).map(value -> new String(value, StandardCharsets.UTF_8));
  }

  /** The key names of one Secret, sorted; empty when the Secret is unknown. */
  public SortedSet<String> keys(String namespace, String name) {
    Map<String, byte[]> values = secrets.get(new SecretName(namespace, name));
    return values == null
        ? Collections.emptySortedSet()
        : Collections.unmodifiableSortedSet(new TreeSet<>(values.keySet()));
  }

  public boolean contains(String namespace, String name) {
    return secrets.containsKey(new SecretName(namespace, name));
  }

  /** How many Secrets are held. */
  public int size() {
    return secrets.size();
  }

  @Override
  public String toString() {
    return "SecretValues[" + secrets.size() + " secrets, values hidden]";
  }
}
