package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import java.util.Comparator;

/**
 * {@link ObjectKey}'s natural order (group, kind, namespace, name) written out field by field: the
 * output maps compare keys on every update, and a chain of key-extracting comparators costs about
 * twice as much there.
 */
final class KeyOrder implements Comparator<ObjectKey>, java.io.Serializable {

  static final KeyOrder INSTANCE = new KeyOrder();
  private static final long serialVersionUID = 1L;

  private KeyOrder() {}

  @Override
  public int compare(ObjectKey a, ObjectKey b) {
    if (a == b) {
      return 0;
    }
    int order = a.group().compareTo(b.group());
    if (order != 0) {
      return order;
    }
    order = a.kind().compareTo(b.kind());
    if (order != 0) {
      return order;
    }
    order = a.namespace().compareTo(b.namespace());
    return order != 0 ? order : a.name().compareTo(b.name());
  }
}
