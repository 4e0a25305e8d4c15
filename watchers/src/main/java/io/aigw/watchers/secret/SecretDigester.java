package io.aigw.watchers.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.model.SecretLike;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Replaces the values of a {@code v1 Secret} by digests, as every source does before an event is
 * recorded: {@code stringData} is merged into {@code data} the way the API server does it (a key in
 * both takes the {@code stringData} value), then each value becomes {@code sha256:<hex of the
 * decoded bytes>}. A rotation therefore changes the recorded object, and nothing in the log reveals
 * a value. The {@code kubectl.kubernetes.io/last-applied-configuration} annotation, which holds a
 * copy of the data when a Secret was exported from a cluster, is digested too.
 *
 * <p>Error messages name the field, never its content.
 */
public final class SecretDigester {

  public static final String DIGEST_PREFIX = "sha256:";
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private SecretDigester() {}

  /**
   * What makes {@code object} a Secret with a typo, in words naming the field, never a value; empty
   * for a well-formed Secret and for every object that is not meant as one ({@link SecretLike}).
   * Taken as it stands, such an object would be recorded as any other kind, its values in clear in
   * the log for good.
   */
  public static Optional<String> shapeProblem(String apiVersion, String kind, JsonNode object) {
    if (SecretLike.isSecret(apiVersion, kind)) {
      String secret = "Secret " + object.path("metadata").path("name").asText("") + ": ";
      JsonNode immutable = object.get("immutable");
      if (immutable != null && !immutable.isBoolean() && !immutable.isNull()) {
        return Optional.of(secret + "immutable must be true or false");
      }
      JsonNode type = object.get("type");
      if (type != null && !type.isTextual() && !type.isNull()) {
        return Optional.of(secret + "type must be a string");
      }
      for (String map : new String[] {"labels", "annotations"}) {
        JsonNode values = object.path("metadata").path(map);
        if (!values.isMissingNode() && !values.isNull() && !isMapOfStrings(values)) {
          return Optional.of(secret + "metadata." + map + " must be a map of strings");
        }
      }
      return unknownField(object)
          .map(
              field ->
                  "Secret "
                      + object.path("metadata").path("name").asText("")
                      + ": unknown field "
                      + field
                      + " (a Secret has "
                      + String.join(", ", new TreeSet<>(SecretLike.SECRET_FIELDS))
                      + ")");
    }
    if ("secret".equalsIgnoreCase(kind)) {
      return Optional.of(
          "apiVersion "
              + apiVersion
              + ", kind "
              + kind
              + ": a Secret is apiVersion v1, kind Secret");
    }
    if (object.has("stringData")) {
      return Optional.of(
          kind + ": stringData is a field of a Secret (apiVersion v1, kind Secret) only");
    }
    if ("v1".equals(apiVersion)
        && !kind.isEmpty()
        && !SecretLike.CORE_KINDS.contains(kind)
        && !SecretLike.isList(apiVersion, kind)) {
      return Optional.of("apiVersion v1 has no kind " + kind);
    }
    return Optional.empty();
  }

  private static boolean isMapOfStrings(JsonNode node) {
    if (!node.isObject()) {
      return false;
    }
    for (JsonNode value : node) {
      if (!value.isTextual()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The first field of {@code secret}, top-level or in its metadata, that a {@code v1 Secret} does
   * not have ({@code stringdata}, or a key that lost its indentation under {@code stringData}): its
   * value may be a secret, and it would be recorded as written, so the file is refused.
   */
  static Optional<String> unknownField(JsonNode secret) {
    for (Iterator<String> names = secret.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!SecretLike.SECRET_FIELDS.contains(name)) {
        return Optional.of(name);
      }
    }
    for (Iterator<String> names = secret.path("metadata").fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!SecretLike.METADATA_FIELDS.contains(name)) {
        return Optional.of("metadata." + name);
      }
    }
    return Optional.empty();
  }

  /** {@code sha256:<lowercase hex>} of {@code value}. */
  public static String digestOf(byte[] value) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return DIGEST_PREFIX + HexFormat.of().formatHex(sha256.digest(value));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Splits {@code secret} (left unchanged) into the object to record and its values.
   *
   * @throws IllegalArgumentException when {@code data} or {@code stringData} is not a map of
   *     strings, or a {@code data} value is not base64; the message names the field only
   */
  public static DigestedSecret digest(ObjectNode secret) {
    Map<String, byte[]> values = new TreeMap<>();
    JsonNode data = secret.get("data");
    JsonNode stringData = secret.get("stringData");
    for (Map.Entry<String, JsonNode> entry : fields(data, "data")) {
      values.put(entry.getKey(), decode(entry.getKey(), entry.getValue()));
    }
    for (Map.Entry<String, JsonNode> entry : fields(stringData, "stringData")) {
      values.put(entry.getKey(), text(entry.getKey(), entry.getValue()));
    }
    ObjectNode recorded = secret.deepCopy();
    recorded.remove("stringData");
    if (isPresent(data) || isPresent(stringData)) {
      ObjectNode digests = JsonNodeFactory.instance.objectNode();
      values.forEach((key, value) -> digests.put(key, digestOf(value)));
      recorded.set("data", digests);
    } else {
      recorded.remove("data");
    }
    digestLastApplied(recorded);
    return new DigestedSecret(recorded, values);
  }

  private static boolean isPresent(JsonNode node) {
    return node != null && !node.isNull();
  }

  private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node, String field) {
    if (!isPresent(node)) {
      return Map.<String, JsonNode>of().entrySet();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(field + " must be a map of key names to values");
    }
    return node::fields;
  }

  private static byte[] decode(String key, JsonNode value) {
    if (value.isNull()) {
      return new byte[0];
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("data." + key + " must be a base64 string");
    }
    // Go's base64 decoder, which the API server uses, skips line breaks; so do we.
    String compact = value.textValue().replace("\r", "").replace("\n", "");
    try {
      return Base64.getDecoder().decode(compact);
    } catch (IllegalArgumentException e) {
      // the decoder's own message quotes the offending character: never pass it on
      throw new IllegalArgumentException("data." + key + " is not valid base64");
    }
  }

  private static byte[] text(String key, JsonNode value) {
    if (value.isNull()) {
      return new byte[0];
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("stringData." + key + " must be a string");
    }
    return value.textValue().getBytes(StandardCharsets.UTF_8);
  }

  private static void digestLastApplied(ObjectNode recorded) {
    JsonNode annotations = recorded.path("metadata").path("annotations");
    if (annotations instanceof ObjectNode map && map.hasNonNull(LAST_APPLIED)) {
      String applied = map.get(LAST_APPLIED).asText();
      map.put(LAST_APPLIED, digestOf(applied.getBytes(StandardCharsets.UTF_8)));
    }
  }
}
