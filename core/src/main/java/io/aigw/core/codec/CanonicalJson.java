package io.aigw.core.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one JSON form the log and the folds agree on: compact, object keys sorted, so equal objects
 * have equal text (and equal digests) whatever order a user wrote them in.
 */
public final class CanonicalJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private CanonicalJson() {}

  /** The shared mapper: thread-safe once configured; never reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A deep copy of {@code node} with every object's keys in sorted order. */
  public static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (String name : names) {
        copy.set(name, sorted(node.get(name)));
      }
      return copy;
    }
    if (node.isArray()) {
      var copy = JsonNodeFactory.instance.arrayNode(node.size());
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        copy.add(sorted(it.next()));
      }
      return copy;
    }
    return node;
  }

  /** Compact canonical text of a tree. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(sorted(node));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compact canonical text of any value Jackson can serialise (records, maps, lists). */
  public static String writeValue(Object value) {
    return write(MAPPER.valueToTree(value));
  }

  /** Parses JSON text into a tree. */
  public static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Fails exactly where {@link #read} fails, without building a tree: for a caller that only needs
   * to know the text is JSON (a tree of a large object costs many times the text's size).
   *
   * @throws IllegalArgumentException when {@link #read} would
   */
  public static void check(String json) {
    if (StrictJsonScan.certainlyJson(json)) {
      // the shape our own watchers write: a scan without a parser is enough to know
      return;
    }
    try (JsonParser parser = MAPPER.createParser(json)) {
      // read takes the first value and ignores what follows it, so this does too
      if (parser.nextToken() != null) {
        parser.skipChildren();
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Converts a tree to a typed value (records included). */
  public static <T> T convert(JsonNode node, Class<T> type) {
    return MAPPER.convertValue(node, type);
  }

  /** A map with sorted keys as a tree, for building objects field by field. */
  public static ObjectNode object(Map<String, ?> fields) {
    return (ObjectNode) sorted(MAPPER.valueToTree(fields));
  }
}
