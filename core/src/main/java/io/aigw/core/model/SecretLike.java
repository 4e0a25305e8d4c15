package io.aigw.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Whether an object is a Secret, or was meant as one and has a typo. Sources record a {@code v1
 * Secret} as digests and refuse what was meant as one; the admin API digests what an older log
 * recorded of one. The typos caught are those that kubectl refuses too: the kind in another case
 * ({@code secret}) or under another apiVersion, a field only a Secret has ({@code stringData}) on
 * another kind, and a kind the core group does not have ({@code Secrets}, {@code Secert}).
 */
public final class SecretLike {

  /** The kinds of the core group ({@code apiVersion: v1}) a manifest can declare. */
  public static final Set<String> CORE_KINDS =
      Set.of(
          "Binding",
          "ComponentStatus",
          "ConfigMap",
          "Endpoints",
          "Event",
          "LimitRange",
          "List",
          "Namespace",
          "Node",
          "PersistentVolume",
          "PersistentVolumeClaim",
          "Pod",
          "PodTemplate",
          "ReplicationController",
          "ResourceQuota",
          "Secret",
          "Service",
          "ServiceAccount");

  /** The fields of a {@code v1 Secret}. */
  public static final Set<String> SECRET_FIELDS =
      Set.of("apiVersion", "kind", "metadata", "type", "immutable", "data", "stringData");

  /** The fields of an ObjectMeta. */
  public static final Set<String> METADATA_FIELDS =
      Set.of(
          "name",
          "generateName",
          "namespace",
          "labels",
          "annotations",
          "ownerReferences",
          "finalizers",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "managedFields",
          "selfLink",
          // gone from Kubernetes since 1.24, still in old exports
          "clusterName");

  private SecretLike() {}

  /**
   * Whether {@code kind} of {@code apiVersion} is a list whose {@code items} are the objects, as
   * kubectl takes it: {@code v1 List}, or a core kind's own list ({@code SecretList}, what {@code
   * kubectl get -o yaml} may write).
   */
  public static boolean isList(String apiVersion, String kind) {
    return "v1".equals(apiVersion)
        && (kind.equals("List")
            || kind.endsWith("List")
                && CORE_KINDS.contains(kind.substring(0, kind.length() - "List".length())));
  }

  /**
   * {@code item} of a list of {@code listKind}, as kubectl reads it: when it names neither
   * apiVersion nor kind, a copy naming the list's item kind ({@code Secret} in a {@code
   * SecretList}, whose items the API server writes without them); else {@code item} itself (a
   * {@code v1 List}'s items must name theirs).
   */
  public static JsonNode listItem(String listApiVersion, String listKind, JsonNode item) {
    if (!(item instanceof ObjectNode listed)
        || listed.has("apiVersion")
        || listed.has("kind")
        || listKind.equals("List")) {
      return item;
    }
    return listed
        .deepCopy()
        .put("apiVersion", listApiVersion)
        .put("kind", listKind.substring(0, listKind.length() - "List".length()));
  }

  /** The core {@code v1 Secret} kind. */
  public static boolean isSecret(String apiVersion, String kind) {
    return "v1".equals(apiVersion) && "Secret".equals(kind);
  }

  /**
   * True when an object of {@code group} and {@code kind} may hold a Secret's values as written: a
   * Secret, or a typo of one.
   */
  public static boolean maybeSecret(String group, String kind, JsonNode object) {
    return "secret".equalsIgnoreCase(kind)
        || object.has("stringData")
        || (group.isEmpty() && !CORE_KINDS.contains(kind));
  }
}
