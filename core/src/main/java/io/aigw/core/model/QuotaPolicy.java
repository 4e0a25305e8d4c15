package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An {@code aigateway.envoyproxy.io/v1alpha1} QuotaPolicy: token budgets for the AIServiceBackends
 * it targets (same namespace), one for all their models and one per model. Upstream serves it only
 * as v1alpha1, so it is the one kind read in its v1alpha1 form; a v1beta1 QuotaPolicy is refused
 * (see {@link AiResourceReader}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record QuotaPolicy(String apiVersion, String kind, ObjectMeta metadata, QuotaPolicySpec spec)
    implements AiResource {

  /** The one version a QuotaPolicy is served in. */
  public static final String API_VERSION = AiResource.V1ALPHA1;

  /** Why a QuotaPolicy of another version is refused. */
  public static final String ONLY_V1ALPHA1 = "QuotaPolicy is served only as " + API_VERSION;

  /** What a request costs when a quota names no cost expression. */
  public static final String DEFAULT_COST_EXPRESSION = "total_tokens";

  /** The one bucket mode, the CRD's default: every matching bucket is charged. */
  public static final String MODE_SHARED = "Shared";

  /** The windows a quota may count over, as the CRD spells them. */
  public static final List<String> DURATIONS = List.of("1s", "1m", "1h", "1d");

  public QuotaPolicy {
    spec = spec == null ? new QuotaPolicySpec(null, null, null) : spec;
  }
}
