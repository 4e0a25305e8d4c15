package io.aigw.admin.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A source object as of some seq: its identity, the seq of the entry that last changed it, and
 * (when asked for) the object, Secrets redacted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorldItem(
    String group,
    String kind,
    String namespace,
    String name,
    String apiVersion,
    long seq,
    long generation,
    JsonNode object) {}
