package io.aigw.admin.view;

/**
 * One line of the timeline: an entry's seq, when the log took it ({@code time}, ISO-8601), where it
 * came from, what happened ({@code UPSERT}, {@code DELETE} or {@code ERROR}), the object it is
 * about (a source error is about {@code SourceError <file>}) and a one-line summary.
 */
public record EntrySummary(
    long seq,
    String time,
    String source,
    String type,
    String group,
    String kind,
    String namespace,
    String name,
    String summary) {}
