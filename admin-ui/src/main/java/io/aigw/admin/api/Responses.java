package io.aigw.admin.api;

import io.aigw.admin.view.ApiJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes JSON answers and the JSON error shape every failure takes. */
public final class Responses {

  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

  private Responses() {}

  public static void json(RoutingContext ctx, Object body) {
    json(ctx, 200, body);
  }

  public static void json(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(Buffer.buffer(ApiJson.bytes(body)));
  }

  /** {@code {"status": 404, "error": "..."}}. */
  public static void error(RoutingContext ctx, int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", message);
    json(ctx, status, body);
  }

  /**
   * The failure handler of every route: an {@link ApiException} keeps its status, a status the
   * router set (404, 405, 413) keeps it, anything else is a 500 whose detail goes to the log only.
   */
  public static void failure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException api) {
      error(ctx, api.status(), api.getMessage());
      return;
    }
    int status = ctx.statusCode();
    if (failure == null && status >= 400) {
      error(ctx, status, reason(status));
      return;
    }
    if (failure instanceof io.vertx.ext.web.handler.HttpException http) {
      error(ctx, http.getStatusCode(), reason(http.getStatusCode()));
      return;
    }
    LOG.atError()
        .addKeyValue("path", ctx.normalizedPath())
        .setCause(failure)
        .log("admin API request failed");
    error(
        ctx,
        500,
        "internal error: " + (failure == null ? "unknown" : failure.getClass().getSimpleName()));
  }

  static String reason(int status) {
    return switch (status) {
      case 400 -> "bad request";
      case 401 -> "a bearer token is required";
      case 403 -> "forbidden";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 413 -> "request body too large";
      case 415 -> "unsupported media type";
      default -> "error " + status;
    };
  }
}
