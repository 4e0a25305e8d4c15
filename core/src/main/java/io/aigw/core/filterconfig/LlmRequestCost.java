package io.aigw.core.filterconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A number the ExtProc writes to dynamic metadata {@code <metadataNamespace>:<metadataKey>} at the
 * end of a successful response, from the response's token usage.
 *
 * @param metadataKey the metadata key
 * @param type which figure; {@code CEL} evaluates {@code cel}
 * @param cel for {@code CEL}: an expression over {@code model}, {@code backend}, {@code route_name}
 *     (string) and {@code input_tokens}, {@code cached_input_tokens}, {@code
 *     cache_creation_input_tokens}, {@code output_tokens}, {@code total_tokens}, {@code
 *     reasoning_tokens} (uint) returning int ≥ 0 or uint; the controller has compiled it already
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public record LlmRequestCost(String metadataKey, Type type, String cel) {

  public LlmRequestCost {
    Objects.requireNonNull(metadataKey, "metadataKey");
    Objects.requireNonNull(type, "type");
  }

  /** The token figures of {@code aigateway.envoyproxy.io} {@code LLMRequestCost.type}. */
  public enum Type {
    OutputToken,
    InputToken,
    CachedInputToken,
    CacheCreationInputToken,
    TotalToken,
    ReasoningToken,
    CEL
  }
}
