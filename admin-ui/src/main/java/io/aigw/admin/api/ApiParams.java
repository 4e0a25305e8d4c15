package io.aigw.admin.api;

import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** Reads query parameters strictly: a malformed value is a 400, never a crash or a guess. */
final class ApiParams {

  static final int MAX_TEXT = 512;

  private ApiParams() {}

  static Optional<String> text(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    if (values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw ApiException.badRequest("parameter " + name + " is given more than once");
    }
    String value = values.get(0);
    if (value.length() > MAX_TEXT) {
      throw ApiException.badRequest("parameter " + name + " is longer than " + MAX_TEXT);
    }
    return Optional.of(value);
  }

  /** A filter value: absent or empty means "any". */
  static Optional<String> filter(RoutingContext ctx, String name) {
    return text(ctx, name).filter(value -> !value.isEmpty());
  }

  static Optional<Long> seq(RoutingContext ctx, String name) {
    return text(ctx, name).map(value -> parseSeq(name, value));
  }

  static long parseSeq(String name, String value) {
    if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
      throw ApiException.badRequest(
          name
              + " must be a seq (a whole number of at most 18 digits), got \""
              + shorten(value)
              + "\"");
    }
    return Long.parseLong(value);
  }

  static int limit(RoutingContext ctx, int fallback, int max) {
    Optional<String> value = text(ctx, "limit");
    if (value.isEmpty()) {
      return fallback;
    }
    String text = value.get();
    if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
      throw ApiException.badRequest("limit must be a whole number from 1 to " + max);
    }
    int limit = Integer.parseInt(text);
    if (limit < 1 || limit > max) {
      throw ApiException.badRequest("limit must be from 1 to " + max + ", got " + limit);
    }
    return limit;
  }

  static boolean flag(RoutingContext ctx, String name, boolean fallback) {
    Optional<String> value = text(ctx, name);
    if (value.isEmpty()) {
      return fallback;
    }
    return switch (value.get()) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw ApiException.badRequest(name + " must be true or false");
    };
  }

  /** An instant as RFC 3339 gives it ({@code 2026-11-28T14:02:00Z}, an offset allowed). */
  static Optional<Instant> instant(RoutingContext ctx, String name) {
    return text(ctx, name)
        .map(
            value -> {
              try {
                return OffsetDateTime.parse(value).toInstant();
              } catch (DateTimeParseException e) {
                throw ApiException.badRequest(
                    name
                        + " must be a time such as 2026-11-28T14:02:00Z, got \""
                        + shorten(value)
                        + "\"");
              }
            });
  }

  static Optional<String> oneOf(RoutingContext ctx, String name, List<String> allowed) {
    Optional<String> value = text(ctx, name).filter(v -> !v.isEmpty());
    if (value.isPresent() && !allowed.contains(value.get())) {
      throw ApiException.badRequest(name + " must be one of " + String.join(", ", allowed));
    }
    return value;
  }

  static String shorten(String value) {
    String printable = value.replaceAll("\\p{Cntrl}", "?");
    return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
  }
}
