package io.aigw.admin.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A desired resource that differs between two points: {@code change} is {@code added}, {@code
 * removed} or {@code changed}; the provenance on either side; the per-field diff of its object (for
 * a changed resource); the object itself and its YAML where asked for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceChange(
    String group,
    String kind,
    String namespace,
    String name,
    String change,
    List<Long> provenanceBefore,
    List<Long> provenanceAfter,
    List<FieldChange> fields,
    JsonNode before,
    JsonNode after,
    String beforeYaml,
    String afterYaml) {}
