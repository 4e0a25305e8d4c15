package io.aigw.extproc.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.aigw.extproc.usage.TokenUsage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * OpenAI's embeddings answer ({@code {"object":"list","data":[…],"model","usage"}}) built from a
 * provider's vectors, each as floats or, when the client asked for {@code encoding_format: base64}
 * (OpenAI's Python SDK does by default), as OpenAI gives it: little-endian float32, base64-encoded.
 * The tokens the provider counted are the usage, input and total alike: nothing is generated.
 */
public final class EmbeddingList {

  private final boolean base64;
  private final ObjectNode out = OpenAiJson.MAPPER.createObjectNode().put("object", "list");
  private final ArrayNode data = out.putArray("data");
  private long tokens;

  /** A list in the encoding {@code request} (the client's embeddings request) asks for. */
  public EmbeddingList(JsonNode request) {
    this.base64 = "base64".equals(request.path("encoding_format").asText(""));
  }

  /**
   * Adds the next vector, {@code floats} a JSON array of numbers, with its tokens; a vector of a
   * text the provider cut to fit says so ({@code truncated}, as upstream gives it), since its
   * meaning covers less than the text.
   */
  public void add(JsonNode floats, long vectorTokens, boolean truncated) {
    ObjectNode item = data.addObject().put("object", "embedding").put("index", data.size() - 1);
    if (base64) {
      item.put("embedding", base64(floats));
    } else {
      item.set("embedding", floats);
    }
    if (truncated) {
      item.put("truncated", true);
    }
    tokens += vectorTokens;
  }

  /** The answer's JSON for {@code model}. */
  public byte[] toBytes(String model) {
    out.put("model", model);
    out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The tokens counted as the exchange's usage. */
  public TokenUsage usage() {
    return TokenUsage.embedded(tokens);
  }

  /** {@code floats} in OpenAI's base64 form. */
  public static String base64(JsonNode floats) {
    ByteBuffer bytes = ByteBuffer.allocate(floats.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (JsonNode value : floats) {
      bytes.putFloat((float) value.asDouble());
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
