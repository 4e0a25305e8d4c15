package io.aigw.extproc.metrics;

import io.aigw.extproc.processor.HeaderAttributes;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request headers an operator labels the exchange meters with ({@code
 * --metrics-request-header-attributes}, upstream's {@code -metricsRequestHeaderAttributes}): a
 * tenant's or a user's tokens, say. Every meter of a name carries every label, empty where the
 * request had no such header, as Prometheus needs the same label names throughout. Each label keeps
 * at most {@value #MAX_VALUES} values; the others count as {@value BoundedLabels#OTHER}: a client
 * chooses them, and each value multiplies the series.
 */
final class HeaderLabels {

  static final int MAX_VALUES = 100;

  /** The meters' own labels, which a header's may not shadow. */
  private static final Set<String> RESERVED =
      Set.of(
          "route",
          "backend",
          "model",
          "operation",
          "status",
          "kind",
          "phase",
          "error.type",
          "aigw.backend",
          "gen_ai.operation.name",
          "gen_ai.provider.name",
          "gen_ai.original.model",
          "gen_ai.request.model",
          "gen_ai.response.model",
          "gen_ai.token.type");

  static final HeaderLabels NONE = new HeaderLabels(HeaderAttributes.parse("none"), 0);

  private final List<Map.Entry<String, String>> attributes;
  private final List<BoundedLabels> values = new ArrayList<>();

  /**
   * @throws IllegalArgumentException when an attribute is one of the meters' own labels
   */
  HeaderLabels(HeaderAttributes mapping, int maxValues) {
    List<Map.Entry<String, String>> sorted =
        new ArrayList<>(mapping.attributeByHeader().entrySet());
    sorted.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
    for (Map.Entry<String, String> entry : sorted) {
      if (RESERVED.contains(entry.getValue())) {
        throw new IllegalArgumentException(
            "attribute " + entry.getValue() + " is a label of the metrics' own");
      }
      values.add(new BoundedLabels(maxValues));
    }
    this.attributes = List.copyOf(sorted);
  }

  boolean isEmpty() {
    return attributes.isEmpty();
  }

  /** The labels' values for a request with {@code headers}, in the labels' order. */
  List<String> valuesOf(Map<String, String> headers) {
    if (attributes.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(attributes.size());
    for (int i = 0; i < attributes.size(); i++) {
      String value = headers.get(attributes.get(i).getKey());
      out.add(value == null || value.isEmpty() ? "" : values.get(i).of(value));
    }
    return out;
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
