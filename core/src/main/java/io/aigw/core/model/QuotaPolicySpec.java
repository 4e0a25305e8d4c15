package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a QuotaPolicy sets: the AIServiceBackends it targets, a quota for every model they serve
 * ({@code serviceQuota}, may be absent) and quotas of single models, each with a default bucket and
 * buckets for the requests its client selectors pick. Lists are never null: absent reads as empty
 * (and is not written back); the CRD's defaults are filled in by the records too, so one built by
 * hand reads as one read from a tree.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record QuotaPolicySpec(
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LocalPolicyTargetReference> targetRefs,
    ServiceQuota serviceQuota,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PerModelQuota> perModelQuotas) {

  public QuotaPolicySpec {
    targetRefs = targetRefs == null ? List.of() : List.copyOf(targetRefs);
    perModelQuotas = perModelQuotas == null ? List.of() : List.copyOf(perModelQuotas);
  }

  /**
   * A budget of all the requests to each targeted backend, whatever their model: while it is spent
   * the backend takes none (a model's own quota is drawn from as well).
   *
   * @param costExpression CEL over the token counts; null: {@value
   *     QuotaPolicy#DEFAULT_COST_EXPRESSION}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ServiceQuota(String costExpression, QuotaValue quota) {

    /** The cost expression, {@value QuotaPolicy#DEFAULT_COST_EXPRESSION} when none is given. */
    public String costOrDefault() {
      return costExpression == null ? QuotaPolicy.DEFAULT_COST_EXPRESSION : costExpression;
    }
  }

  /**
   * The quota of one model: the model sent upstream, a route backend reference's {@code
   * modelNameOverride}, else the request's model.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PerModelQuota(String modelName, QuotaDefinition quota) {}

  /**
   * How a model's requests are charged: what one costs, and the buckets it is charged to (in mode
   * {@code Shared}, the only one: the default bucket and every bucket rule that matches).
   *
   * @param costExpression CEL over the token counts; null: {@value
   *     QuotaPolicy#DEFAULT_COST_EXPRESSION}
   * @param mode {@value QuotaPolicy#MODE_SHARED} when absent
   * @param defaultBucket the bucket of all the model's requests; null: none
   * @param bucketRules buckets of the requests their selectors pick
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record QuotaDefinition(
      String costExpression,
      String mode,
      QuotaValue defaultBucket,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<BucketRule> bucketRules) {

    public QuotaDefinition {
      mode = mode == null ? QuotaPolicy.MODE_SHARED : mode;
      bucketRules = bucketRules == null ? List.of() : List.copyOf(bucketRules);
    }

    /** The cost expression, {@value QuotaPolicy#DEFAULT_COST_EXPRESSION} when none is given. */
    public String costOrDefault() {
      return costExpression == null ? QuotaPolicy.DEFAULT_COST_EXPRESSION : costExpression;
    }
  }

  /**
   * A bucket of the requests all of whose selectors hold (every request when there is none).
   *
   * @param shadowMode counted but never enforced; false when absent (never null)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BucketRule(
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ClientSelector> clientSelectors,
      QuotaValue quota,
      Boolean shadowMode) {

    public BucketRule {
      clientSelectors = clientSelectors == null ? List.of() : List.copyOf(clientSelectors);
      shadowMode = shadowMode != null && shadowMode;
    }
  }

  /**
   * Envoy Gateway's {@code RateLimitSelectCondition}: the requests a bucket rule picks. Only the
   * headers are applied; {@code methods}, {@code path} and {@code sourceCIDR} are kept as written
   * so that the status can say they are not ({@link #notApplied()}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ClientSelector(
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<HeaderSelector> headers,
      JsonNode methods,
      JsonNode path,
      JsonNode sourceCIDR) {

    public ClientSelector {
      headers = headers == null ? List.of() : List.copyOf(headers);
      methods = written(methods);
      path = written(path);
      sourceCIDR = written(sourceCIDR);
    }

    /** The conditions given that aigw does not apply, by field name, in the CRD's order. */
    public List<String> notApplied() {
      List<String> fields = new ArrayList<>(3);
      if (methods != null) {
        fields.add("methods");
      }
      if (path != null) {
        fields.add("path");
      }
      if (sourceCIDR != null) {
        fields.add("sourceCIDR");
      }
      return List.copyOf(fields);
    }

    private static JsonNode written(JsonNode node) {
      return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }
  }

  /**
   * A header the request must have ({@code type} {@code Exact} or {@code RegularExpression}), or
   * one whose every distinct value gets a bucket of its own ({@code Distinct}, no value).
   *
   * @param type {@code Exact} when absent
   * @param invert whether the match is negated; false when absent (never null)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record HeaderSelector(String name, String type, String value, Boolean invert) {

    public static final String EXACT = "Exact";

    public HeaderSelector {
      type = type == null ? EXACT : type;
      invert = invert != null && invert;
    }
  }

  /**
   * A budget: {@code limit} units of cost per window of {@code duration} ({@code 1s}, {@code 1m},
   * {@code 1h} or {@code 1d}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record QuotaValue(long limit, String duration) {}
}
