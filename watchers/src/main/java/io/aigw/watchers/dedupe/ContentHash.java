package io.aigw.watchers.dedupe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash that says whether two observations of an object have the same content: SHA-256 of its
 * canonical JSON without the fields a server maintains on every write ({@code
 * metadata.resourceVersion}, {@code metadata.generation}, {@code metadata.managedFields}). Key
 * order and formatting therefore never count as a change.
 */
public final class ContentHash {

  private ContentHash() {}

  /** Hex SHA-256 of the object's content. */
  public static String of(JsonNode object) {
    JsonNode content = object;
    if (object.get("metadata") instanceof ObjectNode metadata
        && (metadata.has("resourceVersion")
            || metadata.has("generation")
            || metadata.has("managedFields"))) {
      ObjectNode copy = object.deepCopy();
      ObjectNode copiedMetadata = (ObjectNode) copy.get("metadata");
      copiedMetadata.remove("resourceVersion");
      copiedMetadata.remove("generation");
      copiedMetadata.remove("managedFields");
      content = copy;
    }
    return sha256(CanonicalJson.write(content));
  }

  /** Hex SHA-256 of the content of an event's {@code objectJson}. */
  public static String ofJson(String objectJson) {
    return of(CanonicalJson.read(objectJson));
  }

  static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
