package io.aigw.extproc.envoy;

import io.aigw.core.filterconfig.FilterConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One route of the bootstrap, from one rule of a generated HTTPRoute: a request whose {@value
 * FilterConfig#SELECTED_BACKEND_HEADER_KEY} is {@code backend} (and whose {@value
 * FilterConfig#BACKEND_RULE_HEADER} is {@code backendRule}, when there is one) goes to the
 * backend's cluster, and waits at most {@code timeout} for the answer (Envoy's own default when
 * empty; zero waits forever).
 */
public record BackendRoute(
    String backend, Optional<String> backendRule, Optional<Duration> timeout) {

  public BackendRoute {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(backendRule, "backendRule");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** The route of a backend's first rule, which matches on the selected-backend header alone. */
  public static BackendRoute first(String backend, Duration timeout) {
    return new BackendRoute(backend, Optional.empty(), Optional.of(timeout));
  }

  /** The headers a request must carry, exactly, to take this route. */
  public Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(FilterConfig.SELECTED_BACKEND_HEADER_KEY, backend);
    backendRule.ifPresent(rule -> headers.put(FilterConfig.BACKEND_RULE_HEADER, rule));
    return headers;
  }
}
