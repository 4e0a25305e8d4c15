package io.aigw.core.model;

/**
 * One of the five {@code aigateway.envoyproxy.io} kinds aigw acts on, always in its v1beta1 form
 * but the QuotaPolicy, which is served only as v1alpha1 (see {@link AiResourceReader}).
 */
public sealed interface AiResource
    permits AIGatewayRoute, AIServiceBackend, BackendSecurityPolicy, GatewayConfig, QuotaPolicy {

  String GROUP = "aigateway.envoyproxy.io";
  String V1BETA1 = GROUP + "/v1beta1";
  String V1ALPHA1 = GROUP + "/v1alpha1";

  String apiVersion();

  String kind();

  ObjectMeta metadata();
}
