package io.aigw.admin.view;

/** How many desired resources were added, removed and changed between two points. */
public record DiffCounts(int added, int removed, int changed) {

  public int total() {
    return added + removed + changed;
  }
}
