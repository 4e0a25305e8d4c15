package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * What a GatewayConfig sets: the ExtProc container of the routes ({@code extProc.kubernetes}), the
 * costs every route records unless it has its own with the same key, and a forward proxy for the
 * upstream connections.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GatewayConfigSpec(
    GatewayConfigExtProc extProc,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LLMRequestCost> globalLLMRequestCosts,
    ForwardProxy forwardProxy) {

  public GatewayConfigSpec {
    globalLLMRequestCosts =
        globalLLMRequestCosts == null ? List.of() : List.copyOf(globalLLMRequestCosts);
  }

  /** {@code extProc.kubernetes}, when given. */
  public Optional<ContainerSpec> container() {
    return Optional.ofNullable(extProc).map(GatewayConfigExtProc::kubernetes);
  }

  /** {@code extProc}: how the ExtProc container runs on Kubernetes. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record GatewayConfigExtProc(ContainerSpec kubernetes) {}

  /** The proxy upstream connections would tunnel through ({@code host:port}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ForwardProxy(String address) {}
}
