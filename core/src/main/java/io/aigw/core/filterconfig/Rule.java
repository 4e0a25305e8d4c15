package io.aigw.core.filterconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * One rule of a route. A request matches the rule when ANY of {@code matches} matches it (a match
 * with no headers matches every request; a rule with no matches matches every request too). The
 * ExtProc takes the first matching rule and picks one of its backends.
 *
 * @param name the AIGatewayRoute rule's name, or {@code rule/<index>} when it has none
 * @param matches alternatives; each is a conjunction of header matches
 * @param backends the candidates, with their weights and priorities
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public record Rule(String name, List<Match> matches, List<RuleBackend> backends) {

  public Rule {
    Objects.requireNonNull(name, "name");
    matches = matches == null ? List.of() : List.copyOf(matches);
    backends = backends == null ? List.of() : List.copyOf(backends);
  }

  /** All of {@code headers} must match; no headers matches every request. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Match(List<HeaderMatch> headers) {
    public Match {
      headers = headers == null ? List.of() : List.copyOf(headers);
    }
  }

  /**
   * A request header compared with {@code value}: {@code Exact} (case-sensitive equality) or {@code
   * RegularExpression} (RE2 syntax, whole value). Header names are lower case.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder(alphabetic = true)
  public record HeaderMatch(String name, MatchType type, String value) {
    public HeaderMatch {
      Objects.requireNonNull(name, "name");
      type = type == null ? MatchType.Exact : type;
      Objects.requireNonNull(value, "value");
    }
  }

  /** How a header value is compared. */
  public enum MatchType {
    Exact,
    RegularExpression
  }
}
