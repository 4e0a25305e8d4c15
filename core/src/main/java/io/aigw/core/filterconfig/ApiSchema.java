package io.aigw.core.filterconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * The API a backend speaks.
 *
 * @param name the schema
 * @param version the API version where the schema has one (Azure OpenAI {@code api-version}, GCP
 *     Anthropic {@code anthropic_version}, …), else null
 * @param prefix the path prefix for OpenAI and Anthropic ({@code v1} unless configured), else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public record ApiSchema(Name name, String version, String prefix) {

  public ApiSchema {
    Objects.requireNonNull(name, "name");
  }

  /** The schemas of {@code aigateway.envoyproxy.io} {@code VersionedAPISchema.name}. */
  public enum Name {
    OpenAI,
    Cohere,
    AWSBedrock,
    AzureOpenAI,
    GCPVertexAI,
    GCPAnthropic,
    Anthropic,
    AWSAnthropic
  }
}
