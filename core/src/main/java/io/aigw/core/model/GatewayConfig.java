package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An {@code aigateway.envoyproxy.io/v1beta1} GatewayConfig: settings shared by the routes of every
 * Gateway that names it in its {@code aigateway.envoyproxy.io/gateway-config} annotation (same
 * namespace).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GatewayConfig(
    String apiVersion, String kind, ObjectMeta metadata, GatewayConfigSpec spec)
    implements AiResource {

  /** The Gateway annotation that names a GatewayConfig of the Gateway's namespace. */
  public static final String ANNOTATION = "aigateway.envoyproxy.io/gateway-config";

  public GatewayConfig {
    spec = spec == null ? new GatewayConfigSpec(null, null, null) : spec;
  }
}
