package io.aigw.admin.api;

import io.aigw.admin.view.ApiJson;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
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
    if (failure instanceof io.vertx.ext.web.handler.HttpException http) {
      error(ctx, http.getStatusCode(), reason(http.getStatusCode()));
      return;
    }
    // a handler that failed the request with a 4xx and its cause (ctx.fail(400, e)) names the
    // client's mistake: answered, not logged
    int status = ctx.statusCode();
    if (status >= 400 && (failure == null || status < 500)) {
      error(ctx, status, reason(status));
      return;
    }
    LOG.atError()
        .addKeyValue("path", ctx.request().path())
        .setCause(failure)
        .log("admin API request failed");
    error(
        ctx,
        500,
        "internal error: " + (failure == null ? "unknown" : failure.getClass().getSimpleName()));
  }

  /**
   * The router's handler for {@code status} when no route's failure handler took the request: a
   * path that does not decode is a 400 that reaches no route, and the context then carries neither
   * the status nor the failure, so the status is the one the handler was registered for.
   */
  public static Handler<RoutingContext> errorFor(int status) {
    return ctx -> {
      if (status < 500) {
        error(ctx, status, reason(status));
      } else {
        failure(ctx);
      }
    };
  }

  /**
   * Answers a request the HTTP codec could not read (a request line or headers too long, a broken
   * request) with the JSON error shape, as Vert.x's default handler does with an empty body.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status =
        cause instanceof TooLongHttpLineException
            ? 414
            : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", reason(status));
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Connection", "close")
        .end(Buffer.buffer(ApiJson.bytes(body)))
        .onComplete(done -> request.connection().close());
  }

  static String reason(int status) {
    return switch (status) {
      case 400 -> "bad request";
      case 414 -> "the request line is too long";
      case 431 -> "the request headers are too large";
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
