package io.aigw.admin.view;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The field-by-field difference of two JSON trees: objects compared key by key (in sorted key
 * order), arrays index by index, anything else by value. A list that grew or shrank shows its extra
 * items as added or removed. At most {@link #MAX_CHANGES} changes are listed, so a pathological
 * pair of objects cannot make a response unbounded.
 */
public final class JsonDiff {

  public static final int MAX_CHANGES = 500;

  private JsonDiff() {}

  /** The changes from {@code before} to {@code after}; either may be null (absent). */
  public static List<FieldChange> between(JsonNode before, JsonNode after) {
    List<FieldChange> changes = new ArrayList<>();
    diff("", before, after, changes);
    return List.copyOf(changes);
  }

  private static void diff(String path, JsonNode before, JsonNode after, List<FieldChange> out) {
    if (out.size() >= MAX_CHANGES) {
      return;
    }
    boolean hasBefore = before != null && !before.isMissingNode();
    boolean hasAfter = after != null && !after.isMissingNode();
    if (!hasBefore && !hasAfter) {
      return;
    }
    if (!hasBefore) {
      out.add(new FieldChange(label(path), FieldChange.ADDED, null, after));
    } else if (!hasAfter) {
      out.add(new FieldChange(label(path), FieldChange.REMOVED, before, null));
    } else if (before.isObject() && after.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      before.fieldNames().forEachRemaining(names::add);
      after.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        diff(child(path, name), before.get(name), after.get(name), out);
      }
    } else if (before.isArray() && after.isArray()) {
      int size = Math.max(before.size(), after.size());
      for (int i = 0; i < size; i++) {
        diff(path + "[" + i + "]", before.get(i), after.get(i), out);
      }
    } else if (!before.equals(after)) {
      out.add(new FieldChange(label(path), FieldChange.CHANGED, before, after));
    }
  }

  private static String child(String path, String name) {
    boolean plain = !name.isEmpty() && name.chars().allMatch(JsonDiff::isPlain);
    if (plain) {
      return path.isEmpty() ? name : path + "." + name;
    }
    return path + "[\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }

  private static boolean isPlain(int c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-';
  }

  private static String label(String path) {
    return path.isEmpty() ? "(object)" : path;
  }

  /** True when the trees are equal; cheaper than an empty {@link #between}. */
  public static boolean same(JsonNode before, JsonNode after) {
    return before == null ? after == null : before.equals(after);
  }
}
