package io.aigw.admin.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The desired resources added, removed and changed from {@code from} to {@code to}: the counts, one
 * page of the changes in key order (with per-field diffs) and its cursor, and the statuses that
 * changed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiffView(
    long from,
    long to,
    DiffCounts counts,
    List<ResourceChange> changes,
    String next,
    List<StatusChange> statuses,
    int statusesTotal) {}
