package io.aigw.extproc.processor;

import com.google.protobuf.ByteString;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.CredentialFile;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.LlmRequestCost;
import io.aigw.core.filterconfig.Model;
import io.aigw.core.filterconfig.Rule;
import io.aigw.core.filterconfig.RuleBackend;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for configs and ext_proc messages shared by the processor and server tests. */
public final class Exchanges {

  private Exchanges() {}

  public static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  public static final String CHAT_STREAM =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  public static final String COMPLETION_BODY =
      "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"}}],"
          + "\"usage\":{\"prompt_tokens\":13,\"completion_tokens\":7,\"total_tokens\":20,"
          + "\"prompt_tokens_details\":{\"cached_tokens\":3},"
          + "\"completion_tokens_details\":{\"reasoning_tokens\":2}}}";

  public static CredentialFile key(String path) {
    return new CredentialFile(
        path, new CredentialFile.SecretKeyRef("default", "openai-key", "apiKey"));
  }

  public static Backend openAi(String name, String keyPath) {
    return new Backend(
        name,
        new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"),
        keyPath == null ? null : new BackendAuth.ApiKey(key(keyPath)),
        null);
  }

  public static Rule modelRule(String name, String model, RuleBackend... backends) {
    return new Rule(
        name,
        List.of(
            new Rule.Match(
                List.of(new Rule.HeaderMatch("x-ai-eg-model", Rule.MatchType.Exact, model)))),
        List.of(backends));
  }

  public static RuleBackend ref(String backend, int weight, long priority) {
    return new RuleBackend(backend, weight, priority, null, null, null);
  }

  /** Route default/chat: gpt-4o-mini → openai.default, with an InputToken and a CEL cost. */
  public static FilterConfig chatRoute() {
    return FilterConfig.of(
        "default",
        "chat",
        List.of(),
        List.of(modelRule("rule/0", "gpt-4o-mini", ref("openai.default", 1, 0))),
        List.of(openAi("openai.default", "/secrets/openai/apiKey")),
        List.of(
            new LlmRequestCost("used_token", LlmRequestCost.Type.InputToken, null),
            new LlmRequestCost(
                "weighted", LlmRequestCost.Type.CEL, "input_tokens * uint(3) + output_tokens")),
        List.of(new Model("gpt-4o-mini", "openai", "2024-07-18T00:00:00Z")));
  }

  /** Route {@code default/<route>}: {@code rule} and its one backend, with chatRoute's costs. */
  public static FilterConfig oneBackend(String route, Rule rule, Backend backend) {
    FilterConfig base = chatRoute();
    return FilterConfig.of(
        "default",
        route,
        List.of(),
        List.of(rule),
        List.of(backend),
        base.llmRequestCosts(),
        base.models());
  }

  /** {@code base} with other header keys, rules and backends (null keeps the base's). */
  public static FilterConfig with(
      FilterConfig base,
      String modelHeader,
      String selectedBackendHeader,
      List<Rule> rules,
      List<Backend> backends) {
    return new FilterConfig(
        base.version(),
        base.routeNamespace(),
        base.routeName(),
        base.hostnames(),
        base.metadataNamespace(),
        modelHeader == null ? base.modelNameHeaderKey() : modelHeader,
        selectedBackendHeader == null ? base.selectedBackendHeaderKey() : selectedBackendHeader,
        rules == null ? base.rules() : rules,
        backends == null ? base.backends() : backends,
        base.llmRequestCosts(),
        base.models(),
        base.apiPaths());
  }

  public static ProcessingRequest requestHeaders(
      String method, String path, Map<String, String> extra, boolean end) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put(":method", method);
    all.put(":path", path);
    all.put(":authority", "gateway.local");
    all.put("content-type", "application/json");
    all.putAll(extra);
    return ProcessingRequest.newBuilder()
        .setRequestHeaders(HttpHeaders.newBuilder().setHeaders(headerMap(all)).setEndOfStream(end))
        .build();
  }

  public static ProcessingRequest requestHeaders(String path) {
    return requestHeaders("POST", path, Map.of(), false);
  }

  public static ProcessingRequest requestBody(String body) {
    return ProcessingRequest.newBuilder()
        .setRequestBody(
            HttpBody.newBuilder().setBody(ByteString.copyFromUtf8(body)).setEndOfStream(true))
        .build();
  }

  public static ProcessingRequest responseHeaders(int status, String contentType) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put(":status", Integer.toString(status));
    all.put("content-type", contentType);
    return ProcessingRequest.newBuilder()
        .setResponseHeaders(HttpHeaders.newBuilder().setHeaders(headerMap(all)))
        .build();
  }

  public static ProcessingRequest responseBody(String chunk, boolean end) {
    return responseBody(chunk.getBytes(StandardCharsets.UTF_8), end);
  }

  public static ProcessingRequest responseBody(byte[] chunk, boolean end) {
    return ProcessingRequest.newBuilder()
        .setResponseBody(
            HttpBody.newBuilder().setBody(ByteString.copyFrom(chunk)).setEndOfStream(end))
        .build();
  }

  public static HeaderMap headerMap(Map<String, String> headers) {
    HeaderMap.Builder map = HeaderMap.newBuilder();
    headers.forEach(
        (k, v) ->
            map.addHeaders(
                HeaderValue.newBuilder().setKey(k).setRawValue(ByteString.copyFromUtf8(v))));
    return map.build();
  }

  /** The headers a mutation sets, by name. */
  public static Map<String, String> setHeaders(HeaderMutation mutation) {
    Map<String, String> out = new HashMap<>();
    for (HeaderValueOption option : mutation.getSetHeadersList()) {
      String value =
          option.getHeader().getValue().isEmpty()
              ? option.getHeader().getRawValue().toStringUtf8()
              : option.getHeader().getValue();
      out.put(option.getHeader().getKey(), value);
    }
    return out;
  }
}
