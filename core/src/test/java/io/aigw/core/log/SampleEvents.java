package io.aigw.core.log;

import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;

/** Events that look like what the watchers record, for log tests and benchmarks. */
public final class SampleEvents {

  private SampleEvents() {}

  /** An UPSERT of an AIGatewayRoute named {@code name}, about 600 bytes encoded. */
  public static WatchEvent route(String name) {
    return route(name, 1);
  }

  public static WatchEvent route(String name, long generation) {
    String json =
        "{\"apiVersion\":\"aigateway.envoyproxy.io/v1beta1\",\"kind\":\"AIGatewayRoute\","
            + "\"metadata\":{\"generation\":"
            + generation
            + ",\"name\":\""
            + name
            + "\",\"namespace\":\"default\"},\"spec\":{\"parentRefs\":[{\"group\":"
            + "\"gateway.networking.k8s.io\",\"kind\":\"Gateway\",\"name\":\"envoy-ai-gateway\"}],"
            + "\"rules\":[{\"backendRefs\":[{\"name\":\"openai\",\"weight\":1}],\"matches\":[{"
            + "\"headers\":[{\"name\":\"x-ai-eg-model\",\"type\":\"Exact\",\"value\":\"gpt-4o-mini\"}"
            + "]}]}],\"llmRequestCosts\":[{\"metadataKey\":\"llm_total_token\",\"type\":"
            + "\"TotalToken\"}]}}";
    return new WatchEvent(
        "dir:/etc/aigw/examples",
        "aigateway.envoyproxy.io/v1beta1",
        "AIGatewayRoute",
        "default",
        name,
        "uid-" + name,
        Long.toString(generation),
        generation,
        EventType.UPSERT,
        json);
  }

  /** A WatchEvent whose object JSON is {@code size} characters of {@code "x"} padding. */
  public static WatchEvent sized(String name, int size) {
    StringBuilder json = new StringBuilder(size + 32).append("{\"pad\":\"");
    while (json.length() < size - 2) {
      json.append('x');
    }
    json.append("\"}");
    return new WatchEvent(
        "dir:/tmp",
        "v1",
        "ConfigMap",
        "default",
        name,
        "",
        "",
        0,
        EventType.UPSERT,
        json.toString());
  }

  /** Every string field holds text outside ASCII: accents, CJK, emoji, a combining mark. */
  public static WatchEvent unicode() {
    String text = "Zürich-東京-🚀-e\u0301-\u0000-end";
    return new WatchEvent(
        "dir:/données/" + text,
        "aigateway.envoyproxy.io/v1beta1",
        "AIGatewayRoute",
        "名前空間",
        "route-" + text,
        "uid-" + text,
        "7",
        3,
        EventType.DELETE,
        "{\"note\":\"" + text + "\"}");
  }

  public static SourceError sourceError(String file, int line) {
    return new SourceError("dir:/etc/aigw", file, line, "mapping values are not allowed here");
  }

  /** A mix of every variant, for round trips. */
  public static LogEvent mixed(int i) {
    switch (i % 3) {
      case 0:
        return route("r" + i, i);
      case 1:
        return sourceError("f" + i + ".yaml", i);
      default:
        return sized("s" + i, 50 + i * 7);
    }
  }
}
