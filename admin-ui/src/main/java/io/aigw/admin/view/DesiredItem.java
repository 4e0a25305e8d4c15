package io.aigw.admin.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A generated resource: identity, provenance (the seqs of the entries that shaped it), and the
 * object and its YAML when asked for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DesiredItem(
    String group,
    String kind,
    String namespace,
    String name,
    List<Long> provenance,
    JsonNode object,
    String yaml) {}
