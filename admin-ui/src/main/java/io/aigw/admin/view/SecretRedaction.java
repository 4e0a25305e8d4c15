package io.aigw.admin.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.SecretLike;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The last guard before a Secret leaves the admin API. Sources record Secrets with a {@code
 * sha256:} digest per key and no value; this check holds the API to that even for an entry some
 * other writer got wrong: any {@code data} value that is not a digest is replaced by the digest of
 * its decoded bytes, {@code stringData} is folded into {@code data} the same way, and the {@code
 * last-applied-configuration} annotation (a copy of the whole object) is dropped. Key names stay:
 * they are what an operator needs to see. Every digest is then shown keyed ({@link #shown}).
 */
public final class SecretRedaction {

  public static final String DIGEST_PREFIX = "sha256:";

  /** What a digest is shown as: keyed, so that it tells versions apart and nothing more. */
  public static final String SHOWN_PREFIX = "digest:";

  /**
   * This process's key for the digests it shows. A plain SHA-256 of a value lets whoever reads it,
   * a read-only token too, confirm a guess of the value (a short password, a default key); keyed,
   * two versions of a Secret still compare equal or not, and no guess can be checked. A key per
   * process: what the API shows is compared within one answer, and no key is stored anywhere.
   */
  private static final byte[] SHOWN_KEY = new byte[32];

  static {
    new SecureRandom().nextBytes(SHOWN_KEY);
  }

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private SecretRedaction() {}

  /**
   * A Secret, or what was meant as one: the kind in any case, whatever the group. Sources refuse a
   * Secret with a typo, but a log written before they did may hold one with its values as written.
   */
  public static boolean isSecret(ObjectKey key) {
    return "secret".equalsIgnoreCase(key.kind());
  }

  /**
   * {@code object} as the API may show it: unchanged unless it is a Secret or a typo of one ({@link
   * SecretLike}).
   */
  public static JsonNode redact(ObjectKey key, JsonNode object) {
    if (!(object instanceof ObjectNode secret)
        || !SecretLike.maybeSecret(key.group(), key.kind(), object)) {
      return object;
    }
    ObjectNode copy = secret.deepCopy();
    // every field a Secret does not have is shown as a digest, data as digests
    digestOthers(copy, SecretLike.SECRET_FIELDS);
    for (String field : List.of("data", "stringData")) {
      JsonNode value = copy.get(field);
      if (value != null && !value.isObject()) {
        // a map of digests is what a Secret shows; anything else is shown as one digest
        copy.put(field, digestOfJson(value));
      }
    }
    if (copy.get("metadata") instanceof ObjectNode metadata) {
      digestOthers(metadata, SecretLike.METADATA_FIELDS);
      for (String map : List.of("labels", "annotations")) {
        if (metadata.get(map) instanceof ObjectNode values) {
          values
              .fields()
              .forEachRemaining(field -> field.setValue(textOrDigest(values, field.getValue())));
        } else if (metadata.has(map)) {
          metadata.set(map, textOrDigest(metadata, metadata.get(map)));
        }
      }
    }
    // what a Secret has as text or a boolean, shown when it is that, else as a digest
    if (copy.has("type")) {
      copy.set("type", textOrDigest(copy, copy.get("type")));
    }
    if (copy.has("immutable") && !copy.get("immutable").isBoolean()) {
      copy.put("immutable", digestOfJson(copy.get("immutable")));
    }
    ObjectNode data = copy.get("data") instanceof ObjectNode existing ? existing : null;
    if (data != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String value = field.getValue().asText("");
        if (!isDigest(value)) {
          field.setValue(data.textNode(digest(decode(value))));
        }
      }
    }
    if (copy.get("stringData") instanceof ObjectNode stringData) {
      ObjectNode into = data != null ? data : copy.putObject("data");
      stringData
          .fields()
          .forEachRemaining(
              field ->
                  into.put(
                      field.getKey(),
                      digest(field.getValue().asText("").getBytes(StandardCharsets.UTF_8))));
    }
    copy.remove("stringData");
    if (copy.path("metadata").path("annotations") instanceof ObjectNode annotations) {
      annotations.remove(LAST_APPLIED);
    }
    showDigests(copy);
    return copy;
  }

  /** {@code digest} as the API shows it: its HMAC under this process's key, 128 bits in hex. */
  public static String shown(String digest) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SHOWN_KEY, "HmacSHA256"));
      byte[] keyed = mac.doFinal(digest.getBytes(StandardCharsets.UTF_8));
      return SHOWN_PREFIX + HexFormat.of().formatHex(keyed, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }

  /** Replaces every digest under {@code node} by how it is shown. */
  private static void showDigests(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isTextual() && isDigest(field.getValue().asText())) {
          field.setValue(object.textNode(shown(field.getValue().asText())));
        } else {
          showDigests(field.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).isTextual() && isDigest(array.get(i).asText())) {
          array.set(i, array.textNode(shown(array.get(i).asText())));
        } else {
          showDigests(array.get(i));
        }
      }
    }
  }

  private static JsonNode textOrDigest(ObjectNode owner, JsonNode value) {
    return value.isTextual() || value.isNull() ? value : owner.textNode(digestOfJson(value));
  }

  private static String digestOfJson(JsonNode value) {
    return digest(CanonicalJson.write(value).getBytes(StandardCharsets.UTF_8));
  }

  /** Replaces the value of every field not in {@code shown} by the digest of its JSON text. */
  private static void digestOthers(ObjectNode object, Set<String> shown) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!shown.contains(field.getKey())) {
        field.setValue(object.textNode(digestOfJson(field.getValue())));
      }
    }
  }

  private static boolean isDigest(String value) {
    return value.startsWith(DIGEST_PREFIX)
        && value.length() == DIGEST_PREFIX.length() + 64
        && value.substring(DIGEST_PREFIX.length()).chars().allMatch(SecretRedaction::isHex);
  }

  private static boolean isHex(int c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
  }

  private static byte[] decode(String value) {
    try {
      return Base64.getMimeDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      return value.getBytes(StandardCharsets.UTF_8);
    }
  }

  static String digest(byte[] value) {
    try {
      return DIGEST_PREFIX
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
