package io.aigw.admin.server;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods the API takes on a path, read from the router's routes: a known path asked with
 * another method is a 405 naming them, not a 404 that says the API does not exist.
 */
final class AllowedMethods {

  private static final Pattern PARAMETER = Pattern.compile(":[^/]+");

  private AllowedMethods() {}

  /** The methods of the routes whose path matches {@code path}, sorted; empty for none. */
  static Set<String> of(Router router, String path) {
    Set<String> allowed = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      String pattern = route.getPath();
      if (pattern == null || route.methods() == null || route.methods().isEmpty()) {
        continue;
      }
      String regex = PARAMETER.matcher(Pattern.quote(pattern)).replaceAll("\\\\E[^/]+\\\\Q");
      if (path.matches(regex)) {
        route.methods().stream().map(HttpMethod::name).forEach(allowed::add);
      }
    }
    return allowed;
  }
}
