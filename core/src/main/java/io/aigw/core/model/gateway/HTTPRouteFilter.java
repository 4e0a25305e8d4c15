package io.aigw.core.model.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A {@code gateway.envoyproxy.io/v1alpha1} HTTPRouteFilter: a host rewrite to the selected backend
 * or a fixed direct response.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HTTPRouteFilter(
    String apiVersion, String kind, GeneratedMetadata metadata, Spec spec) {

  public static final String GROUP = "gateway.envoyproxy.io";
  public static final String API_VERSION = GROUP + "/v1alpha1";
  public static final String KIND = "HTTPRouteFilter";

  public static HTTPRouteFilter of(GeneratedMetadata metadata, Spec spec) {
    return new HTTPRouteFilter(API_VERSION, KIND, metadata, spec);
  }

  /** Exactly one of the two is set. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(UrlRewrite urlRewrite, DirectResponse directResponse) {

    /** Rewrites the Host header to the hostname of the backend Envoy picked. */
    public static Spec hostRewriteToBackend() {
      return new Spec(new UrlRewrite(new HostnameRewrite("Backend")), null);
    }

    /** Answers every request with {@code statusCode} and a fixed text body. */
    public static Spec directResponse(int statusCode, String body) {
      return new Spec(null, new DirectResponse(statusCode, new Body("Inline", body)));
    }
  }

  /** Envoy Gateway {@code HTTPURLRewriteFilter} (hostname only). */
  public record UrlRewrite(HostnameRewrite hostname) {}

  /** {@code type: Backend} takes the hostname of the selected backend. */
  public record HostnameRewrite(String type) {}

  /** Envoy Gateway {@code HTTPDirectResponseFilter}. */
  public record DirectResponse(int statusCode, Body body) {}

  /** An inline response body. */
  public record Body(String type, String inline) {}
}
