package io.aigw.core.filterconfig;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Collection;
import java.util.Map;

/**
 * What is wrong with a filter config that does not bind, said as its reader can act on it: where
 * ({@code backends[0].auth.apiKey.key.path}) and what, with none of the binder's own advice.
 */
final class FilterConfigProblem {

  private FilterConfigProblem() {}

  /** {@code e}, a binding failure, as "{@code <where> <what>}". */
  static String of(JsonMappingException e) {
    String where = location(e);
    Throwable cause = e.getCause();
    if (e instanceof ValueInstantiationException && cause instanceof NullPointerException missing) {
      // a record's requireNonNull names the component it found missing
      String field = missing.getMessage() == null ? "a field" : missing.getMessage();
      return (where.isEmpty() ? field : where + "." + field) + " is required";
    }
    String subject = where.isEmpty() ? "the config" : where;
    if (e instanceof ValueInstantiationException && cause != null && cause.getMessage() != null) {
      return subject + ": " + cause.getMessage();
    }
    if (e instanceof InvalidFormatException format) {
      return subject + ": '" + format.getValue() + "' is not " + kind(format.getTargetType());
    }
    if (e instanceof MismatchedInputException mismatch) {
      return mismatch.getOriginalMessage().startsWith("Cannot map `null`")
          ? subject + " is required"
          : subject + " must be " + kind(mismatch.getTargetType());
    }
    return subject + ": " + e.getOriginalMessage();
  }

  private static String location(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        out.append(out.isEmpty() ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        out.append('[').append(reference.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static String kind(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
      return "a whole number";
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class || type.isEnum()) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return Map.class.isAssignableFrom(type) || type.isRecord()
        ? "an object"
        : "a " + type.getSimpleName();
  }
}
