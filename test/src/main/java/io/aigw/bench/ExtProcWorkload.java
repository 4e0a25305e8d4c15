package io.aigw.bench;

import com.google.protobuf.ByteString;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.BackendQuota;
import io.aigw.core.filterconfig.CredentialFile;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.LlmRequestCost;
import io.aigw.core.filterconfig.Rule;
import io.aigw.core.filterconfig.RuleBackend;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the ExtProc benchmark serves and sends: one route with an OpenAI backend behind an API key
 * read from a mounted file, a token cost and a CEL cost rule (so every exchange computes dynamic
 * metadata), and the ext_proc messages of a buffered and of a streamed chat completion, built once.
 */
public final class ExtProcWorkload {

  static final String MODEL = "gpt-4o-mini";

  private ExtProcWorkload() {}

  /** The route, its credential read from {@code keyFile} as {@code aigw extproc} reads it. */
  public static FilterConfig config(String keyFile) {
    CredentialFile key =
        new CredentialFile(keyFile, new CredentialFile.SecretKeyRef("default", "openai", "apiKey"));
    return FilterConfig.of(
        "default",
        "chat",
        List.of(),
        List.of(
            new Rule(
                "rule/0",
                List.of(
                    new Rule.Match(
                        List.of(
                            new Rule.HeaderMatch("x-ai-eg-model", Rule.MatchType.Exact, MODEL)))),
                List.of(new RuleBackend("openai.default", 1, 0, null, null, null)))),
        List.of(
            new Backend(
                "openai.default",
                new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"),
                new BackendAuth.ApiKey(key),
                null)),
        List.of(
            new LlmRequestCost("used_token", LlmRequestCost.Type.InputToken, null),
            new LlmRequestCost(
                "cost", LlmRequestCost.Type.CEL, "input_tokens * uint(3) + output_tokens")),
        List.of());
  }

  /**
   * {@code config} with QuotaPolicy budgets on its backend that no run spends: a service budget, a
   * CEL-costed default bucket for the model and a bucket selecting by header, so every exchange is
   * screened against three counters and draws from them.
   */
  public static FilterConfig withQuota(FilterConfig config) {
    long plenty = 1L << 60;
    Backend backend = config.backends().get(0);
    BackendQuota quota =
        new BackendQuota(
            new BackendQuota.ServiceQuota("default/bench", "total_tokens", plenty, "1d"),
            List.of(
                new BackendQuota.ModelQuota(
                    MODEL,
                    "default/bench",
                    "input_tokens + output_tokens * 4u",
                    new BackendQuota.ClientBucket(List.of(), plenty, "1h", false),
                    List.of(
                        new BackendQuota.ClientBucket(
                            List.of(
                                new BackendQuota.HeaderSelector(
                                    "user-agent",
                                    BackendQuota.HeaderSelector.Type.Exact,
                                    "OpenAI/Java 4.101.0",
                                    false)),
                            plenty,
                            "1m",
                            false)))));
    return FilterConfig.of(
        config.routeNamespace(),
        config.routeName(),
        config.hostnames(),
        config.rules(),
        List.of(
            new Backend(
                backend.name(),
                backend.schema(),
                backend.auth(),
                backend.credentialOverride(),
                quota)),
        config.llmRequestCosts(),
        config.models());
  }

  /** The messages of one exchange, built once and sent many times. */
  public static final class Messages {
    final ProcessingRequest requestHeaders;
    final ProcessingRequest requestBody;
    final ProcessingRequest streamRequestBody;
    final ProcessingRequest responseHeaders;
    final ProcessingRequest streamResponseHeaders;
    final ProcessingRequest responseBody;
    final ProcessingRequest streamChunk;
    final ProcessingRequest streamEnd;
    final int requestBodyBytes;
    final int responseBodyBytes;
    final int streamChunkBytes;
    final int streamChunkEvents = 4;

    public Messages() {
      // the headers Envoy sends for a chat completion from an OpenAI SDK
      Map<String, String> request = new LinkedHashMap<>();
      request.put(":authority", "gateway.example.com");
      request.put(":path", "/v1/chat/completions");
      request.put(":method", "POST");
      request.put(":scheme", "https");
      request.put("content-type", "application/json");
      request.put("accept", "application/json");
      request.put("user-agent", "OpenAI/Java 4.101.0");
      request.put("x-request-id", "9f0c3c0e-6a4b-4f7e-9d55-0c2b1d7b8a11");
      request.put("x-forwarded-proto", "https");
      request.put("content-length", "2048");
      requestHeaders = headers(true, request);
      String chat = chat(2048);
      requestBodyBytes = chat.length();
      requestBody = body(chat, true, true);
      streamRequestBody =
          body(chat.replace("{\"model\"", "{\"stream\":true,\"model\""), true, true);
      Map<String, String> response = new LinkedHashMap<>();
      response.put(":status", "200");
      response.put("content-type", "application/json");
      response.put("openai-processing-ms", "412");
      response.put("x-request-id", "req_0a1b2c3d4e5f");
      responseHeaders = headers(false, response);
      Map<String, String> streamResponse = new LinkedHashMap<>(response);
      streamResponse.put("content-type", "text/event-stream");
      streamResponseHeaders = headers(false, streamResponse);
      String completion = completion(1024);
      responseBodyBytes = completion.length();
      responseBody = body(completion, true, false);
      String event =
          "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1732600000,"
              + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":"
              + "{\"content\":\" token\"},\"finish_reason\":null}]}\n\n";
      String chunk = event.repeat(streamChunkEvents);
      streamChunkBytes = chunk.length();
      streamChunk = body(chunk, false, false);
      streamEnd =
          body(
              "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                  + "\"usage\":{\"prompt_tokens\":512,\"completion_tokens\":900,\"total_tokens\":1412}}"
                  + "\n\ndata: [DONE]\n\n",
              true,
              false);
    }

    /** A chat request of exactly {@code size} bytes: a system and a user message. */
    static String chat(int size) {
      String head =
          "{\"model\":\""
              + MODEL
              + "\",\"temperature\":0.2,\"messages\":[{\"role\":\"system\",\"content\":"
              + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"";
      String tail = "\"}]}";
      return head + prose(size - head.length() - tail.length()) + tail;
    }

    /** A chat completion of exactly {@code size} bytes with usage. */
    private static String completion(int size) {
      String head =
          "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1732600000,"
              + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":"
              + "{\"role\":\"assistant\",\"content\":\"";
      String tail =
          "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":512,"
              + "\"completion_tokens\":128,\"total_tokens\":640}}";
      return head + prose(size - head.length() - tail.length()) + tail;
    }

    private static String prose(int length) {
      return "Summarise the quarterly report in three bullet points. "
          .repeat(length / 55 + 1)
          .substring(0, length);
    }

    static ProcessingRequest headers(boolean request, Map<String, String> headers) {
      HeaderMap.Builder map = HeaderMap.newBuilder();
      headers.forEach(
          (k, v) ->
              map.addHeaders(
                  HeaderValue.newBuilder().setKey(k).setRawValue(ByteString.copyFromUtf8(v))));
      HttpHeaders h = HttpHeaders.newBuilder().setHeaders(map).build();
      return request
          ? ProcessingRequest.newBuilder().setRequestHeaders(h).build()
          : ProcessingRequest.newBuilder().setResponseHeaders(h).build();
    }

    static ProcessingRequest body(String text, boolean end, boolean request) {
      HttpBody b =
          HttpBody.newBuilder().setBody(ByteString.copyFromUtf8(text)).setEndOfStream(end).build();
      return request
          ? ProcessingRequest.newBuilder().setRequestBody(b).build()
          : ProcessingRequest.newBuilder().setResponseBody(b).build();
    }
  }
}
