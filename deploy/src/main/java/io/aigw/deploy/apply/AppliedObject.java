package io.aigw.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * The object aigw writes for a desired one: the desired object plus the annotation {@value
 * #HASH_ANNOTATION}, the SHA-256 of the desired object's canonical JSON. The annotation is what
 * makes "nothing to do" provable after a restart: a live object whose fields cover the desired ones
 * could still carry a field aigw has since stopped setting (the subset comparison cannot see it),
 * but then its hash differs.
 */
public final class AppliedObject {

  public static final String HASH_ANNOTATION = "aigateway.envoyproxy.io/applied-hash";

  private final ObjectNode body;
  private final String hash;

  private AppliedObject(ObjectNode body, String hash) {
    this.body = body;
    this.hash = hash;
  }

  /** The object to write for {@code desired} (left unchanged). */
  public static AppliedObject of(JsonNode desired) {
    String hash = hashOf(desired);
    ObjectNode body = desired.deepCopy();
    body.withObjectProperty("metadata")
        .withObjectProperty("annotations")
        .put(HASH_ANNOTATION, hash);
    return new AppliedObject(body, hash);
  }

  /** SHA-256 hex of the canonical JSON of {@code desired}. */
  public static String hashOf(JsonNode desired) {
    try {
      byte[] text = CanonicalJson.write(desired).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The hash a live object was last written with, empty when it has none. */
  public static String hashOn(JsonNode live) {
    return live.path("metadata").path("annotations").path(HASH_ANNOTATION).asText("");
  }

  /** The object to apply: the desired one with the hash annotation. */
  public ObjectNode body() {
    return body;
  }

  public String hash() {
    return hash;
  }

  /**
   * True when {@code live} is this object as aigw last wrote it and nobody changed aigw's fields.
   */
  public boolean matches(JsonNode live) {
    return hash.equals(hashOn(live)) && OwnedFields.coveredBy(body, live);
  }

  /**
   * The body of an update (the fallback when server-side apply is unavailable): the live object
   * with aigw's fields put over it, so the server keeps its own fields and other writers' labels
   * and annotations survive, under the live resourceVersion (a concurrent write answers 409).
   */
  public ObjectNode updateOf(JsonNode live) {
    ObjectNode merged = live.deepCopy();
    merged.remove("status");
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!"metadata".equals(field.getKey())) {
        merged.set(field.getKey(), field.getValue().deepCopy());
      }
    }
    ObjectNode metadata = merged.withObjectProperty("metadata");
    JsonNode wanted = body.path("metadata");
    overlay(metadata.withObjectProperty("labels"), wanted.path("labels"));
    overlay(metadata.withObjectProperty("annotations"), wanted.path("annotations"));
    if (wanted.has("ownerReferences")) {
      metadata.set("ownerReferences", wanted.get("ownerReferences").deepCopy());
    }
    metadata.remove("managedFields");
    return merged;
  }

  private static void overlay(ObjectNode into, JsonNode from) {
    from.fields().forEachRemaining(field -> into.set(field.getKey(), field.getValue().deepCopy()));
  }
}
