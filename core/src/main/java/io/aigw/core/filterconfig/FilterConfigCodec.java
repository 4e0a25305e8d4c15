package io.aigw.core.filterconfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.codec.YamlText;

/**
 * Reads and writes {@link FilterConfig} as YAML (the ConfigMap form) or JSON. Output is stable:
 * keys sorted, lists in the order of the config, so equal configs give equal text (and equal
 * hashes). Reading checks the {@code version} and every required field, but skips fields it does
 * not know: the config is a contract between a controller and ExtProcs that may be a release apart,
 * so a field one release added or dropped (the {@code clientSecret} Azure auth once had) must not
 * reject the whole config and leave every route of it unserved.
 */
public final class FilterConfigCodec {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final String DOCUMENT_START = "---\n";

  private FilterConfigCodec() {}

  /** The config as a tree with sorted keys. */
  public static JsonNode toTree(FilterConfig config) {
    return CanonicalJson.sorted(JSON.valueToTree(config));
  }

  /** Stable YAML text: one document without the {@code ---} marker. */
  public static String toYaml(FilterConfig config) {
    String text = YamlText.write(JSON.valueToTree(config));
    return text.startsWith(DOCUMENT_START) ? text.substring(DOCUMENT_START.length()) : text;
  }

  /** Stable compact JSON text. */
  public static String toJson(FilterConfig config) {
    return CanonicalJson.write(JSON.valueToTree(config));
  }

  /**
   * Parses YAML (or JSON, which is YAML too).
   *
   * @throws IllegalArgumentException when the text is not a config of {@link FilterConfig#VERSION}
   */
  public static FilterConfig fromYaml(String text) {
    try {
      return fromTree(YAML.readTree(text));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("filter config is not YAML: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses JSON; see {@link #fromYaml(String)}. */
  public static FilterConfig fromJson(String text) {
    try {
      return fromTree(JSON.readTree(text));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("filter config is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Binds a tree; see {@link #fromYaml(String)}. */
  public static FilterConfig fromTree(JsonNode tree) {
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException("filter config must be an object");
    }
    JsonNode version = tree.get("version");
    if (version == null || !FilterConfig.VERSION.equals(version.asText())) {
      throw new IllegalArgumentException(
          "filter config version "
              + (version == null ? "(none)" : version.asText())
              + " is not "
              + FilterConfig.VERSION);
    }
    try {
      return JSON.treeToValue(tree, FilterConfig.class);
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException("invalid filter config: " + FilterConfigProblem.of(e), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid filter config: " + e.getOriginalMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid filter config: " + e.getMessage(), e);
    }
  }
}
