package io.aigw.admin.view;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A status that differs between two points; a side without a status is absent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusChange(
    String group,
    String kind,
    String namespace,
    String name,
    StatusItem before,
    StatusItem after) {}
