package io.aigw.core.event;

import java.util.Comparator;
import java.util.Objects;

/**
 * Identity of an object as kubectl sees it: API group (without version), kind, namespace and name.
 * Cluster-scoped objects have an empty namespace. Ordered by group, kind, namespace, name so every
 * iteration over keys is deterministic.
 */
public record ObjectKey(String group, String kind, String namespace, String name)
    implements Comparable<ObjectKey> {

  private static final Comparator<ObjectKey> ORDER =
      Comparator.comparing(ObjectKey::group)
          .thenComparing(ObjectKey::kind)
          .thenComparing(ObjectKey::namespace)
          .thenComparing(ObjectKey::name);

  public ObjectKey {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** The group part of an apiVersion: {@code "apps/v1"} gives {@code "apps"}, {@code "v1"} "". */
  public static String groupOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  public static ObjectKey of(String apiVersion, String kind, String namespace, String name) {
    return new ObjectKey(groupOf(apiVersion), kind, namespace, name);
  }

  @Override
  public int compareTo(ObjectKey other) {
    return ORDER.compare(this, other);
  }

  /** {@code Kind namespace/name}, the form used in log lines and messages. */
  @Override
  public String toString() {
    return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
  }
}
