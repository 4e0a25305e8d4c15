package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.ParentReference;
import io.aigw.projections.filterconfig.Versioned;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.pcollections.PSortedSet;

/**
 * Routes whose requests another route's ExtProc answers. In a cluster each route has its own
 * ExtProc, attached to its HTTPRoute, and a request first matches a catch-all rule: of the routes
 * attached to a Gateway the same way ({@link Attachment}), only the one with precedence gets
 * requests, and its ExtProc knows only its own models. The others are reported, naming the route
 * that takes their requests, so that a route never says Accepted while its models get 404.
 */
final class ShadowedRoutes {

  private ShadowedRoutes() {}

  /** What is wrong with {@code route} (under {@code key}, in effect in {@code catalog}). */
  static List<String> problems(ObjectKey key, Versioned<AIGatewayRoute> route, Catalog catalog) {
    List<String> problems = new ArrayList<>();
    List<ParentReference> parents = route.resource().spec().parentRefs();
    for (int i = 0; i < parents.size(); i++) {
      // one message per route taking requests, naming the hostnames it takes
      Map<ObjectKey, List<Attachment>> taken = new LinkedHashMap<>();
      for (Attachment attachment : Attachment.of(route, parents.get(i))) {
        ObjectKey first = first(catalog, attachment);
        if (first != null && !first.equals(key)) {
          taken.computeIfAbsent(first, k -> new ArrayList<>()).add(attachment);
        }
      }
      for (Map.Entry<ObjectKey, List<Attachment>> entry : taken.entrySet()) {
        problems.add(message(i, entry.getKey(), entry.getValue()));
      }
    }
    return problems;
  }

  /**
   * The routes other than {@code key} whose problems the change of {@code key} from {@code before}
   * to {@code after} may change: those sharing an attachment whose first route changed.
   */
  static Set<ObjectKey> affectedBy(Catalog before, Catalog after, ObjectKey key) {
    Set<Attachment> attachments = new LinkedHashSet<>();
    Versioned<AIGatewayRoute> old = before.routes().get(key);
    Versioned<AIGatewayRoute> current = after.routes().get(key);
    if (old != null) {
      attachments.addAll(Attachment.of(old));
    }
    if (current != null) {
      attachments.addAll(Attachment.of(current));
    }
    Set<ObjectKey> affected = new LinkedHashSet<>();
    for (Attachment attachment : attachments) {
      ObjectKey firstBefore = first(before, attachment);
      ObjectKey firstAfter = first(after, attachment);
      if (!Objects.equals(firstBefore, firstAfter)) {
        PSortedSet<RouteRank> routes = after.routesByAttachment().get(attachment);
        if (routes != null) {
          routes.forEach(rank -> affected.add(rank.key()));
        }
      }
    }
    affected.remove(key);
    return affected;
  }

  private static ObjectKey first(Catalog catalog, Attachment attachment) {
    PSortedSet<RouteRank> routes = catalog.routesByAttachment().get(attachment);
    return routes == null || routes.isEmpty() ? null : routes.first().key();
  }

  private static String message(int parent, ObjectKey first, List<Attachment> attachments) {
    String ref = first.namespace() + "/" + first.name();
    List<String> hostnames = new ArrayList<>();
    for (Attachment attachment : attachments) {
      if (!attachment.hostname().isEmpty()) {
        hostnames.add(attachment.hostname());
      }
    }
    String where =
        hostnames.isEmpty()
            ? ", both routes setting no hostnames"
            : (hostnames.size() == 1 ? " for hostname " : " for hostnames ")
                + String.join(", ", hostnames);
    return "spec.parentRefs["
        + parent
        + "]: AIGatewayRoute "
        + ref
        + " takes this route's requests on "
        + attachments.get(0).listener()
        + where
        + " (it was created first, or comes first by namespace/name), and its ExtProc answers"
        + " 404 for this route's models; give this route its own hostnames, or move its rules"
        + " into "
        + ref;
  }
}
