package io.aigw.projections.gateway;

import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.ParentReference;
import io.aigw.projections.filterconfig.Versioned;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a route's catch-all rule takes requests: a Gateway, the listener the parentRef names
 * (section and port as written, "" and 0 for none) and one of the route's hostnames ("" when it
 * sets none). Envoy Gateway puts the catch-alls of every route attached the same way into one
 * virtual host, where the route with {@link RouteRank precedence} takes every request that has no
 * selected backend yet.
 *
 * <p>Routes attached to the same Gateway in different ways (one to the whole Gateway, one to a
 * listener of it) may share a virtual host too; they are not compared.
 */
record Attachment(
    String gatewayNamespace, String gateway, String sectionName, int port, String hostname) {

  /** The attachments of every parentRef of {@code route}. */
  static Set<Attachment> of(Versioned<AIGatewayRoute> route) {
    Set<Attachment> all = new LinkedHashSet<>();
    for (ParentReference parent : route.resource().spec().parentRefs()) {
      all.addAll(of(route, parent));
    }
    return all;
  }

  /**
   * The attachments of one parentRef, one per hostname of the route. A route in effect names
   * Gateways only: the reader fills in group and kind, and validation refuses other kinds.
   */
  static Set<Attachment> of(Versioned<AIGatewayRoute> route, ParentReference parent) {
    String namespace = orDefault(parent.namespace(), route.namespace());
    String section = orDefault(parent.sectionName(), "");
    int port = parent.port() == null ? 0 : parent.port();
    List<String> hostnames = route.resource().spec().hostnames();
    Set<Attachment> attachments = new LinkedHashSet<>();
    for (String hostname : hostnames.isEmpty() ? List.of("") : hostnames) {
      attachments.add(new Attachment(namespace, parent.name(), section, port, hostname));
    }
    return attachments;
  }

  /** The listener, as a status message names it. */
  String listener() {
    return "Gateway "
        + gatewayNamespace
        + "/"
        + gateway
        + (sectionName.isEmpty() ? "" : " listener " + sectionName)
        + (port == 0 ? "" : " port " + port);
  }

  private static String orDefault(String value, String otherwise) {
    return value == null || value.isEmpty() ? otherwise : value;
  }
}
