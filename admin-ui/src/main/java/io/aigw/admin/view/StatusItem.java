package io.aigw.admin.view;

import io.aigw.projections.status.Condition;
import io.aigw.projections.status.ResourceStatus;
import java.util.List;

/** The wanted status of one AI Gateway object. */
public record StatusItem(
    String group,
    String kind,
    String namespace,
    String name,
    long observedGeneration,
    boolean accepted,
    String message,
    List<Condition> conditions) {

  public static StatusItem of(ResourceStatus status) {
    var key = status.key();
    return new StatusItem(
        key.group(),
        key.kind(),
        key.namespace(),
        key.name(),
        status.observedGeneration(),
        status.isAccepted(),
        status.message(),
        status.conditions());
  }
}
