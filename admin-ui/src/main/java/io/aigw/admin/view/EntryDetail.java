package io.aigw.admin.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One entry in full: its timeline line; the event's metadata or the source error; the object it
 * recorded (Secrets redacted) and its YAML; the previous and next versions of the same object; the
 * field diff against the previous version; what the applier did or how a credential rotation went;
 * and what the entry did to the gateway.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntryDetail(
    EntrySummary entry,
    EventMeta event,
    ErrorView error,
    AppliedView applied,
    RotationView rotation,
    JsonNode object,
    String yaml,
    Long previousSeq,
    Long nextSeq,
    JsonNode previousObject,
    String previousYaml,
    List<FieldChange> changes,
    Effect effect) {

  /** A source error: where and why, nothing else. */
  public static EntryDetail error(EntrySummary entry, ErrorView error) {
    return new EntryDetail(
        entry, null, error, null, null, null, null, null, null, null, null, null, null);
  }

  /** What the applier did: the outcome, nothing else. */
  public static EntryDetail applied(EntrySummary entry, AppliedView applied) {
    return new EntryDetail(
        entry, null, null, applied, null, null, null, null, null, null, null, null, null);
  }

  /** How rotating a policy's credential went, nothing else. */
  public static EntryDetail rotation(EntrySummary entry, RotationView rotation) {
    return new EntryDetail(
        entry, null, null, null, rotation, null, null, null, null, null, null, null, null);
  }

  /** This detail with the entry's effect on the gateway. */
  public EntryDetail withEffect(Effect newEffect) {
    return new EntryDetail(
        entry,
        event,
        error,
        applied,
        rotation,
        object,
        yaml,
        previousSeq,
        nextSeq,
        previousObject,
        previousYaml,
        changes,
        newEffect);
  }

  /** The watch event's metadata. */
  public record EventMeta(
      String apiVersion, String uid, String resourceVersion, long generation, String eventType) {}

  /** What the applier did: the outcome, the subresource, why, and the desired state it applied. */
  public record AppliedView(String outcome, String subresource, String reason, long desiredSeq) {}

  /**
   * How rotating a policy's credential went: {@code FAILED} with why (no secret value is ever in
   * it), or {@code ROTATED}; the policy's uid and generation.
   */
  public record RotationView(String outcome, String reason, String uid, long generation) {}

  /** Why a source could not be read. */
  public record ErrorView(String file, int line, String reason) {}

  /**
   * The desired resources and statuses that differ between the state before the entry and after it:
   * counts, and the first resources and statuses (keys and provenance, no objects).
   */
  public record Effect(
      DiffCounts counts, List<ResourceChange> resources, List<StatusChange> statuses) {}
}
