package io.aigw.admin.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.TreeSet;

/** Reads a JSON request body strictly: malformed JSON or a field of the wrong type is a 400. */
final class RequestBodies {

  private RequestBodies() {}

  /**
   * The body as an object holding only {@code fields}; an empty body is an empty object. A field it
   * does not take is a 400: a misspelt {@code tO} would otherwise replay to the latest seq.
   */
  static JsonObject json(RoutingContext ctx, Set<String> fields) {
    JsonObject body = json(ctx);
    for (String field : body.fieldNames()) {
      if (!fields.contains(field)) {
        throw ApiException.badRequest(
            "unknown field "
                + (field.length() > ApiParams.MAX_TEXT
                    ? field.substring(0, ApiParams.MAX_TEXT)
                    : field)
                + "; the body takes "
                + String.join(", ", new TreeSet<>(fields)));
      }
    }
    return body;
  }

  /** The body as an object; an empty body is an empty object. */
  private static JsonObject json(RoutingContext ctx) {
    var body = ctx.body();
    if (body == null || body.buffer() == null || body.length() == 0) {
      return new JsonObject();
    }
    try {
      Object value = io.vertx.core.json.Json.decodeValue(body.buffer());
      if (value instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      throw ApiException.badRequest("the body is not JSON");
    }
    throw ApiException.badRequest("the body must be a JSON object");
  }

  /** A seq field, or null when absent; a number below 0 or not whole is a 400. */
  static Long seq(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof Number number
        && number.doubleValue() == Math.rint(number.doubleValue())
        && number.doubleValue() >= 0
        && number.doubleValue() < 1e18) {
      return number.longValue();
    }
    if (value instanceof String text) {
      return ApiParams.parseSeq(field, text);
    }
    throw ApiException.badRequest(field + " must be a seq (a whole number of at most 18 digits)");
  }

  /** A text field, or null when absent; anything but a string is a 400. */
  static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof String text && text.length() <= ApiParams.MAX_TEXT) {
      return text;
    }
    throw ApiException.badRequest(field + " must be a string of at most " + ApiParams.MAX_TEXT);
  }
}
