package io.aigw.admin.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One entry in full: its timeline line; the event's metadata or the source error; the object it
 * recorded (Secrets redacted) and its YAML; the previous and next versions of the same object; the
 * field diff against the previous version; and what the entry did to the gateway.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntryDetail(
    EntrySummary entry,
    EventMeta event,
    ErrorView error,
    JsonNode object,
    String yaml,
    Long previousSeq,
    Long nextSeq,
    JsonNode previousObject,
    String previousYaml,
    List<FieldChange> changes,
    Effect effect) {

  /** The watch event's metadata. */
  public record EventMeta(
      String apiVersion, String uid, String resourceVersion, long generation, String eventType) {}

  /** Why a source could not be read. */
  public record ErrorView(String file, int line, String reason) {}

  /**
   * The desired resources and statuses that differ between the state before the entry and after it:
   * counts, and the first resources and statuses (keys and provenance, no objects).
   */
  public record Effect(
      DiffCounts counts, List<ResourceChange> resources, List<StatusChange> statuses) {}
}
