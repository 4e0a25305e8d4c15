package io.aigw.extproc.translate;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * An embedding as OpenAI's {@code encoding_format: base64} gives it, which its SDKs ask for by
 * default (the Python one does): the floats as little-endian float32, base64-encoded.
 */
public final class EmbeddingVector {

  private EmbeddingVector() {}

  /** {@code floats}, a JSON array of numbers, in OpenAI's base64 form. */
  public static String base64(JsonNode floats) {
    ByteBuffer bytes = ByteBuffer.allocate(floats.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (JsonNode value : floats) {
      bytes.putFloat((float) value.asDouble());
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
