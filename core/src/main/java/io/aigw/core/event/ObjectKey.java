package io.aigw.core.event;

import java.util.Objects;

/**
 * Identity of an object as kubectl sees it: API group (without version), kind, namespace and name.
 * Cluster-scoped objects have an empty namespace. Ordered by group, kind, namespace, name so every
 * iteration over keys is deterministic.
 */
public record ObjectKey(String group, String kind, String namespace, String name)
    implements Comparable<ObjectKey> {

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
    // field by field rather than a Comparator chain: every persistent map of the folds calls this
    int order = group.compareTo(other.group);
    if (order == 0) {
      order = kind.compareTo(other.kind);
    }
    if (order == 0) {
      order = namespace.compareTo(other.namespace);
    }
    return order != 0 ? order : name.compareTo(other.name);
  }

  /** {@code Kind namespace/name}, the form used in log lines and messages. */
  @Override
  public String toString() {
    return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
  }
}
