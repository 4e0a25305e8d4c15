package io.aigw.extproc.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.extproc.translate.openai.OpenAiRequestParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** Drives one translator the way the processor does, for table tests. */
public final class TranslatorHarness {

  public static final ObjectMapper JSON = new ObjectMapper();
  public static final long NOW = 1_700_000_000L;

  private TranslatorHarness() {}

  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  public static ParsedRequest parse(Endpoint endpoint, String body) {
    try {
      return OpenAiRequestParser.parse(endpoint, body.getBytes(StandardCharsets.UTF_8));
    } catch (InvalidRequestException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static RequestPlan plan(ApiSchema schema, String override, BackendAuth auth) {
    return plan(schema, override, auth, Map.of());
  }

  public static RequestPlan plan(
      ApiSchema schema, String override, BackendAuth auth, Map<String, String> headers) {
    return new RequestPlan(
        schema, Optional.ofNullable(override), false, Optional.ofNullable(auth), NOW, headers);
  }

  /** The translated request body as JSON, or null when the client's bytes pass through. */
  public static JsonNode body(UpstreamRequest upstream) {
    return upstream.body().map(b -> json(b.toString())).orElse(null);
  }

  /** What the client sees for a body fed in pieces cut at {@code cuts}. */
  public static String feed(Translator translator, byte[] body, int... cuts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int from = 0;
    for (int cut : cuts) {
      byte[] piece = Arrays.copyOfRange(body, from, cut);
      out.writeBytes(translator.responseBody(piece, false).replacement().orElse(piece));
      from = cut;
    }
    byte[] last = Arrays.copyOfRange(body, from, body.length);
    out.writeBytes(translator.responseBody(last, true).replacement().orElse(last));
    return out.toString(StandardCharsets.UTF_8);
  }

  /** What the client sees for an error body. */
  public static String error(Translator translator, int status, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return new String(
        translator.errorBody(status, bytes, true).replacement().orElse(bytes),
        StandardCharsets.UTF_8);
  }
}
