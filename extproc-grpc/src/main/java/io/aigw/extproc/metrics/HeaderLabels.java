package io.aigw.extproc.metrics;

import io.aigw.extproc.processor.HeaderAttributes;
import io.aigw.extproc.processor.RequestHeaders;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The request headers an operator labels the exchange meters with ({@code
 * --metrics-request-header-attributes}, upstream's {@code -metricsRequestHeaderAttributes}): a
 * tenant's or a user's tokens, say. Every meter of a name carries every label, empty where the
 * request had no such header or was never routed, so that a query sums over one set of series. Each
 * label keeps at most {@value #MAX_VALUES} values, and the labels together at most {@value
 * #MAX_COMBINATIONS} combinations; the others count as {@value BoundedLabels#OTHER}: a client
 * chooses them, and each multiplies the series.
 */
final class HeaderLabels {

  static final int MAX_VALUES = 100;
  static final int MAX_COMBINATIONS = 1_000;

  /** What Prometheus takes as a label name once a dot is an underscore. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_.]*");

  /**
   * The meters' own labels, and those Prometheus keeps for itself, as Prometheus names them (a dot
   * an underscore): a header's may not shadow them.
   */
  private static final Set<String> RESERVED =
      Set.of(
          "route",
          "backend",
          "model",
          "operation",
          "status",
          "kind",
          "phase",
          "error_type",
          "aigw_backend",
          "gen_ai_operation_name",
          "gen_ai_provider_name",
          "gen_ai_original_model",
          "gen_ai_request_model",
          "gen_ai_response_model",
          "gen_ai_token_type",
          "le",
          "quantile");

  static final HeaderLabels NONE = new HeaderLabels(HeaderAttributes.parse("none"), 0);

  private final List<Map.Entry<String, String>> attributes;
  private final List<BoundedLabels> values = new ArrayList<>();
  private final Set<List<String>> combinations = ConcurrentHashMap.newKeySet();

  /**
   * @throws IllegalArgumentException when an attribute is not a name Prometheus takes, is one of
   *     the meters' or Prometheus' own labels, or is another's once a dot is an underscore
   */
  HeaderLabels(HeaderAttributes mapping, int maxValues) {
    List<Map.Entry<String, String>> sorted =
        new ArrayList<>(mapping.attributeByHeader().entrySet());
    sorted.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
    Set<String> named = new HashSet<>();
    for (Map.Entry<String, String> entry : sorted) {
      String attribute = entry.getValue();
      String label = attribute.replace('.', '_');
      if (!NAME.matcher(attribute).matches() || label.startsWith("__")) {
        throw new IllegalArgumentException(
            "attribute "
                + attribute
                + " is not a label name (letters, digits, '_' and '.', not first a digit or '__')");
      }
      if (RESERVED.contains(label)) {
        throw new IllegalArgumentException(
            "attribute " + attribute + " is a label of the metrics' own");
      }
      if (!named.add(label)) {
        throw new IllegalArgumentException(
            "attribute " + attribute + " is given twice (as Prometheus names it, " + label + ")");
      }
      values.add(new BoundedLabels(maxValues));
    }
    this.attributes = List.copyOf(sorted);
  }

  /**
   * The labels' values for a request with {@code headers}, in the labels' order; all empty for a
   * request that was never {@code routed}, which must not use up the values a label keeps.
   */
  List<String> valuesOf(RequestHeaders headers, boolean routed) {
    if (attributes.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(attributes.size());
    for (int i = 0; i < attributes.size(); i++) {
      String value = routed ? headers.get(attributes.get(i).getKey()) : null;
      out.add(value == null || value.isEmpty() ? "" : values.get(i).of(printable(value)));
    }
    if (out.size() > 1 && !combinationKept(out)) {
      return Collections.nCopies(out.size(), BoundedLabels.OTHER);
    }
    return out;
  }

  /**
   * Whether {@code labelValues} is kept, or there is room for it; racing threads may pass a few.
   */
  private boolean combinationKept(List<String> labelValues) {
    if (combinations.contains(labelValues)) {
      return true;
    }
    if (combinations.size() < MAX_COMBINATIONS) {
      combinations.add(List.copyOf(labelValues));
      return true;
    }
    return false;
  }

  /** A value with a control character is not one a well-behaved client sends. */
  private static String printable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return BoundedLabels.OTHER;
      }
    }
    return value;
  }

  /** The tags of {@code labelValues}, as {@link #valuesOf} gave them. */
  Tags tags(List<String> labelValues) {
    List<Tag> tags = new ArrayList<>(labelValues.size());
    for (int i = 0; i < labelValues.size(); i++) {
      tags.add(Tag.of(attributes.get(i).getValue(), labelValues.get(i)));
    }
    return Tags.of(tags);
  }
}
