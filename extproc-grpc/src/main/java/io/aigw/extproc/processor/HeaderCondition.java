package io.aigw.extproc.processor;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One header match of a rule, compiled: an exact (case-sensitive) value or a regular expression
 * that must match the whole value. A missing header never matches.
 */
public record HeaderCondition(String name, String exact, Pattern pattern) {

  public HeaderCondition {
    Objects.requireNonNull(name, "name");
    if ((exact == null) == (pattern == null)) {
      throw new IllegalArgumentException("exactly one of exact and pattern");
    }
  }

  public static HeaderCondition exact(String name, String value) {
    return new HeaderCondition(name.toLowerCase(java.util.Locale.ROOT), value, null);
  }

  /**
   * @throws java.util.regex.PatternSyntaxException when {@code regex} is not valid
   */
  public static HeaderCondition regex(String name, String regex) {
    return new HeaderCondition(
        name.toLowerCase(java.util.Locale.ROOT), null, Pattern.compile(regex));
  }

  /**
   * Whether the request's headers ({@code header}: a lower-case name to its value, or null) satisfy
   * this condition.
   */
  public boolean test(Function<String, String> header) {
    String value = header.apply(name);
    if (value == null) {
      return false;
    }
    return exact != null ? exact.equals(value) : pattern.matcher(value).matches();
  }
}
