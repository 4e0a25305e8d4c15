package io.aigw.admin.view;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The state after {@code seq}: the source objects, the generated resources, the filter configs and
 * the statuses, each a page (a section that was not asked for is absent), and how many statuses are
 * not accepted (with the statuses).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StateView(
    long seq,
    long latestSeq,
    Integer notAccepted,
    Section<WorldItem> world,
    Section<DesiredItem> desired,
    Section<FilterConfigItem> filterConfigs,
    Section<StatusItem> statuses) {}
