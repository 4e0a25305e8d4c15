package io.aigw.projections.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Turns YAML manifests into log entries the way the directory source records them: namespace
 * defaulted, a name-based uid, Secret values replaced by digests, source {@code test}.
 */
final class Fixtures {

  static final Path ROOT = Path.of(System.getProperty("aigw.root", "..")).toAbsolutePath();
  static final Path UPSTREAM = ROOT.resolve("../shared/fixtures/upstream").normalize();

  private static final Set<String> CLUSTER_SCOPED =
      Set.of("GatewayClass", "Namespace", "ClusterRole", "ClusterRoleBinding");

  private Fixtures() {}

  /**
   * {@code state} with the entries {@code log} has past it, each state's outputs read as it is
   * folded: the way a live controller reads them, which recomputes only what each entry made stale.
   */
  static GatewayState foldReadingEach(GatewayProjection projection, GatewayState state, Log log) {
    GatewayState current = state;
    for (LogEntry entry : log.entries()) {
      if (entry.seq() > current.seq()) {
        current = projection.apply(current, entry);
        current.desired();
        current.filterConfigs();
        current.statuses();
      }
    }
    return current;
  }

  /** Builds entries with consecutive seqs starting at {@code firstSeq}. */
  static final class Log {
    private long seq;
    private final List<LogEntry> entries = new ArrayList<>();

    Log() {
      this(1);
    }

    Log(long firstSeq) {
      this.seq = firstSeq;
    }

    Log upsert(String yaml) {
      for (JsonNode object : documents(yaml)) {
        add(event(object, EventType.UPSERT));
      }
      return this;
    }

    Log delete(String yaml) {
      for (JsonNode object : documents(yaml)) {
        add(event(object, EventType.DELETE));
      }
      return this;
    }

    Log add(LogEvent event) {
      entries.add(new LogEntry(seq++, Instant.EPOCH, event));
      return this;
    }

    List<LogEntry> entries() {
      return List.copyOf(entries);
    }

    long nextSeq() {
      return seq;
    }
  }

  static List<LogEntry> entriesOf(Path file) {
    try {
      return new Log().upsert(Files.readString(file)).entries();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> documents(String yaml) {
    try {
      List<JsonNode> out = new ArrayList<>();
      for (var document : YamlDocuments.parse(yaml)) {
        // a Helm values file sits among the manifests: not an object, as a source would skip it
        if (document.node().has("kind") && document.node().has("metadata")) {
          out.add(document.node());
        }
      }
      return out;
    } catch (YamlDocuments.YamlSyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static WatchEvent event(JsonNode raw, EventType type) {
    ObjectNode object = raw.deepCopy();
    String apiVersion = object.path("apiVersion").asText();
    String kind = object.path("kind").asText();
    ObjectNode metadata = (ObjectNode) object.get("metadata");
    String name = metadata.path("name").asText();
    String namespace =
        CLUSTER_SCOPED.contains(kind) ? "" : metadata.path("namespace").asText("default");
    if (!namespace.isEmpty()) {
      metadata.put("namespace", namespace);
    }
    ObjectKey key = ObjectKey.of(apiVersion, kind, namespace, name);
    String uid = uid(key);
    metadata.put("uid", uid);
    if ("v1".equals(apiVersion) && "Secret".equals(kind)) {
      digestSecret(object);
    }
    long generation = metadata.path("generation").asLong(1);
    return new WatchEvent(
        "test",
        apiVersion,
        kind,
        namespace,
        name,
        uid,
        "1",
        generation,
        type,
        CanonicalJson.write(object));
  }

  static String uid(ObjectKey key) {
    String name =
        "aigw:" + key.group() + "/" + key.kind() + "/" + key.namespace() + "/" + key.name();
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static void digestSecret(ObjectNode secret) {
    ObjectNode digests = JsonNodeFactory.instance.objectNode();
    secret
        .path("data")
        .fields()
        .forEachRemaining(
            e ->
                digests.put(e.getKey(), digest(Base64.getDecoder().decode(e.getValue().asText()))));
    secret
        .path("stringData")
        .fields()
        .forEachRemaining(
            e ->
                digests.put(
                    e.getKey(), digest(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
    secret.remove("stringData");
    secret.set("data", digests);
  }

  private static String digest(byte[] value) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
