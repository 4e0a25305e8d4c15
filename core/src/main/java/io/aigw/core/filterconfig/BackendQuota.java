package io.aigw.core.filterconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * The token budgets the QuotaPolicies targeting a backend give it. A request goes to a backend only
 * while its service budget, if any, and at least one enforced bucket of its model that it falls in,
 * if any, have tokens left; after a 2xx response its cost is drawn from each of them.
 *
 * @param service a budget of all the backend's traffic ({@code serviceQuota}), or null
 * @param models budgets of the models the backend serves, one per model ({@code perModelQuotas})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public record BackendQuota(ServiceQuota service, List<ModelQuota> models) {

  public BackendQuota {
    models = models == null ? List.of() : List.copyOf(models);
  }

  /**
   * A budget of every request to the backend: while it is spent the backend takes none.
   *
   * @param policy {@code namespace/name} of the QuotaPolicy it comes from
   * @param cost a CEL expression of the cost, over the variables of {@link LlmRequestCost#cel()}
   * @param limit the tokens (cost units) of one window
   * @param duration the window: {@code 1s}, {@code 1m}, {@code 1h} or {@code 1d}
   */
  @JsonPropertyOrder(alphabetic = true)
  public record ServiceQuota(String policy, String cost, long limit, String duration) {
    public ServiceQuota {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(cost, "cost");
      Objects.requireNonNull(duration, "duration");
    }
  }

  /**
   * The budgets of one model: a default bucket every request of the model draws on, and buckets of
   * selected clients. A request is let through while any enforced bucket it draws on has tokens
   * left (upstream's {@code Shared} mode), or when it draws on none.
   *
   * @param model the model sent upstream: the candidate's {@code modelNameOverride}, else the
   *     request's model
   * @param policy {@code namespace/name} of the QuotaPolicy it comes from
   * @param cost a CEL expression of the cost
   * @param defaultBucket the bucket of every request of the model (no headers), or null for none
   * @param buckets the buckets of selected clients
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder(alphabetic = true)
  public record ModelQuota(
      String model,
      String policy,
      String cost,
      ClientBucket defaultBucket,
      List<ClientBucket> buckets) {
    public ModelQuota {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(cost, "cost");
      buckets = buckets == null ? List.of() : List.copyOf(buckets);
    }
  }

  /**
   * A bucket of the requests whose headers all match {@code headers} (every request when there are
   * none); a {@code Distinct} header gives every value of the header a bucket of its own.
   *
   * @param limit the tokens (cost units) of one window
   * @param duration the window: {@code 1s}, {@code 1m}, {@code 1h} or {@code 1d}
   * @param shadow counted but never enforced
   */
  @JsonPropertyOrder(alphabetic = true)
  public record ClientBucket(
      List<HeaderSelector> headers, long limit, String duration, boolean shadow) {
    public ClientBucket {
      headers = headers == null ? List.of() : List.copyOf(headers);
      Objects.requireNonNull(duration, "duration");
    }
  }

  /**
   * A header condition of a bucket (Envoy Gateway's {@code HeaderMatch} of a rate-limit selector).
   *
   * @param name the header, lower case
   * @param value the value for {@code Exact} and {@code RegularExpression}; null for {@code
   *     Distinct}
   * @param invert the bucket takes the requests that do not match (not for {@code Distinct})
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder(alphabetic = true)
  public record HeaderSelector(String name, Type type, String value, boolean invert) {
    public HeaderSelector {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }

    /** How the header's value is matched. */
    public enum Type {
      Exact,
      RegularExpression,
      Distinct
    }
  }
}
