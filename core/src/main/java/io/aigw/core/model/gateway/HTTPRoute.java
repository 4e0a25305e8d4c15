package io.aigw.core.model.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.aigw.core.model.HTTPRouteTimeouts;
import io.aigw.core.model.ParentReference;
import java.util.List;

/** A {@code gateway.networking.k8s.io/v1} HTTPRoute, with the fields aigw sets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HTTPRoute(String apiVersion, String kind, GeneratedMetadata metadata, Spec spec) {

  public static final String API_VERSION = "gateway.networking.k8s.io/v1";
  public static final String KIND = "HTTPRoute";

  public static HTTPRoute of(GeneratedMetadata metadata, Spec spec) {
    return new HTTPRoute(API_VERSION, KIND, metadata, spec);
  }

  /** Where the route attaches, for which hostnames, and its rules in order. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Spec(List<ParentReference> parentRefs, List<String> hostnames, List<Rule> rules) {
    public Spec {
      parentRefs = parentRefs == null ? List.of() : List.copyOf(parentRefs);
      hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
      rules = rules == null ? List.of() : List.copyOf(rules);
    }
  }

  /** One rule: requests matching any of {@code matches} go through the filters to a backend. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Rule(
      String name,
      List<Match> matches,
      List<Filter> filters,
      List<BackendRef> backendRefs,
      HTTPRouteTimeouts timeouts) {
    public Rule {
      matches = matches == null ? List.of() : List.copyOf(matches);
      filters = filters == null ? List.of() : List.copyOf(filters);
      backendRefs = backendRefs == null ? List.of() : List.copyOf(backendRefs);
    }
  }

  /** A path and/or header match; all parts must match. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Match(PathMatch path, List<HeaderMatch> headers) {
    public Match {
      headers = headers == null ? List.of() : List.copyOf(headers);
    }
  }

  /** {@code PathPrefix}, {@code Exact} or {@code RegularExpression}. */
  public record PathMatch(String type, String value) {}

  /** {@code Exact} or {@code RegularExpression} on one header. */
  public record HeaderMatch(String type, String name, String value) {}

  /** A filter of a rule: an {@code ExtensionRef}, or a {@code RequestHeaderModifier}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Filter(
      String type, ExtensionRef extensionRef, RequestHeaderModifier requestHeaderModifier) {
    public static Filter extensionRef(String group, String kind, String name) {
      return new Filter("ExtensionRef", new ExtensionRef(group, kind, name), null);
    }

    /** Removes {@code names} from the request once the rule took it, before it goes upstream. */
    public static Filter removeRequestHeaders(String... names) {
      return new Filter("RequestHeaderModifier", null, new RequestHeaderModifier(List.of(names)));
    }
  }

  /** The request headers a rule removes (Gateway API's {@code HTTPHeaderFilter}, remove only). */
  public record RequestHeaderModifier(List<String> remove) {}

  /** A reference to a filter object in the route's namespace. */
  public record ExtensionRef(String group, String kind, String name) {}

  /** A backend of a rule (Gateway API {@code HTTPBackendRef} without filters). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BackendRef(
      String group, String kind, String name, String namespace, Integer port, Integer weight) {}
}
