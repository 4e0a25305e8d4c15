package io.aigw.e2e.extproc;

import com.google.protobuf.Struct;
import java.util.Optional;

/**
 * What the Envoy-like proxy saw for one client request.
 *
 * @param selectedBackend the {@code x-ai-eg-selected-backend} the ExtProc chose, if any
 * @param status the status the client got
 * @param metadata the dynamic metadata the ExtProc emitted (merged over the whole exchange)
 * @param modeOverride whether the response body was switched to STREAMED
 */
public record RecordedExchange(
    Optional<String> selectedBackend, int status, Struct metadata, boolean modeOverride) {

  /** A number from namespace {@code io.envoy.ai_gateway}. */
  public double number(String key) {
    return metadata
        .getFieldsOrThrow("io.envoy.ai_gateway")
        .getStructValue()
        .getFieldsOrThrow(key)
        .getNumberValue();
  }

  /** A string from namespace {@code io.envoy.ai_gateway}. */
  public String string(String key) {
    return metadata
        .getFieldsOrThrow("io.envoy.ai_gateway")
        .getStructValue()
        .getFieldsOrThrow(key)
        .getStringValue();
  }

  public boolean hasMetadata(String key) {
    return metadata.containsFields("io.envoy.ai_gateway")
        && metadata.getFieldsOrThrow("io.envoy.ai_gateway").getStructValue().containsFields(key);
  }
}
