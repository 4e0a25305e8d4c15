package io.aigw.watchers.directory;

import io.aigw.core.event.ObjectKey;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The uid of an object read from files. There is no API server to assign one, so it is derived from
 * the key: the same object gets the same uid in every run, and owner references built from it are
 * stable.
 */
public final class ObjectUid {

  private ObjectUid() {}

  /** A name-based (version 3) UUID of {@code aigw:<group>/<kind>/<namespace>/<name>}. */
  public static String of(ObjectKey key) {
    String name =
        "aigw:" + key.group() + "/" + key.kind() + "/" + key.namespace() + "/" + key.name();
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
