package io.aigw.extproc.processor;

import io.aigw.core.filterconfig.Model;
import io.aigw.extproc.usage.CostRule;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One AIGatewayRoute as the processor uses it: compiled rules, compiled costs and the models it
 * lists.
 */
public record Route(
    String namespace,
    String name,
    List<String> hostnames,
    List<RouteRule> rules,
    List<CostRule> costs,
    List<Model> models,
    String metadataNamespace,
    String modelHeader,
    String selectedBackendHeader) {

  public Route {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    hostnames = hostnames.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    // header names are case-insensitive; rules compare lower-case names, as HTTP/2 carries them
    modelHeader = modelHeader.toLowerCase(Locale.ROOT);
    selectedBackendHeader = selectedBackendHeader.toLowerCase(Locale.ROOT);
    rules = List.copyOf(rules);
    costs = List.copyOf(costs);
    models = List.copyOf(models);
  }

  /** {@code namespace/name}. */
  public String ref() {
    return namespace + "/" + name;
  }

  /**
   * The first rule, in order, that the headers match ({@code header}: see {@link RouteRule#test}).
   */
  public Optional<RouteRule> firstMatch(Function<String, String> header) {
    for (RouteRule rule : rules) {
      if (rule.test(header)) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether one of the route's hostnames matches {@code host} (lower case, no port): exactly, or a
   * Gateway API wildcard {@code *.example.com} matching any name ending in {@code .example.com}.
   */
  public boolean servesHost(String host) {
    for (String hostname : hostnames) {
      if (hostname.startsWith("*.")
          ? host.endsWith(hostname.substring(1)) && host.length() > hostname.length() - 1
          : hostname.equals(host)) {
        return true;
      }
    }
    return false;
  }
}
