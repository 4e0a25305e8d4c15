package io.aigw.core.model.gateway;

import java.util.Map;

/** A {@code v1} ConfigMap of text entries. */
public record ConfigMap(
    String apiVersion, String kind, GeneratedMetadata metadata, Map<String, String> data) {

  public static final String API_VERSION = "v1";
  public static final String KIND = "ConfigMap";

  public ConfigMap {
    data = Map.copyOf(data);
  }

  public static ConfigMap of(GeneratedMetadata metadata, Map<String, String> data) {
    return new ConfigMap(API_VERSION, KIND, metadata, data);
  }
}
