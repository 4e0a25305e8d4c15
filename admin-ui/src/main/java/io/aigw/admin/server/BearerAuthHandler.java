package io.aigw.admin.server;

import io.aigw.admin.api.Responses;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Admits a request to {@code /api} only with {@code Authorization: Bearer <token>} of a known token
 * (else 401 with a {@code WWW-Authenticate} challenge), and remembers the token's role for {@link
 * #requireAdmin}.
 */
final class BearerAuthHandler implements Handler<RoutingContext> {

  static final String ROLE = "aigw.role";

  /** Who holds the token, as its digest: what limits per token are counted by. */
  static final String HOLDER = "aigw.holder";

  private static final String PREFIX = "bearer ";

  private final AdminTokens tokens;

  BearerAuthHandler(AdminTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    Optional<Role> role = Optional.empty();
    String token = "";
    if (header != null
        && header.length() > PREFIX.length()
        && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      token = header.substring(PREFIX.length()).strip();
      role = tokens.roleOf(token);
    }
    if (role.isEmpty()) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"aigw-admin\"");
      Responses.error(
          ctx,
          401,
          header == null
              ? "a bearer token is required (Authorization: Bearer <token>)"
              : "the bearer token is not valid");
      return;
    }
    ctx.put(ROLE, role.get());
    ctx.put(HOLDER, AdminTokens.digest(token));
    ctx.next();
  }

  /** Lets only admin tokens through (403 for a read-only token). */
  static void requireAdmin(RoutingContext ctx) {
    if (ctx.get(ROLE) != Role.ADMIN) {
      Responses.error(ctx, 403, "this action needs an admin token; this token is read-only");
      return;
    }
    ctx.next();
  }
}
