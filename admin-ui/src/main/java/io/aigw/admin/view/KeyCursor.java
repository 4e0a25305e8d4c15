package io.aigw.admin.view;

import io.aigw.core.event.ObjectKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The cursor of a page over objects in key order: the last key of the page, opaque to clients
 * (base64url of its four parts). A cursor that does not decode is a client error, never a crash.
 */
public final class KeyCursor {

  private static final char SEPARATOR = '\u0000';

  private KeyCursor() {}

  public static String encode(ObjectKey key) {
    String text =
        key.group() + SEPARATOR + key.kind() + SEPARATOR + key.namespace() + SEPARATOR + key.name();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The key, or empty when {@code cursor} is not one this class wrote. */
  public static Optional<ObjectKey> decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = text.split(String.valueOf(SEPARATOR), -1);
      if (parts.length != 4) {
        return Optional.empty();
      }
      return Optional.of(new ObjectKey(parts[0], parts[1], parts[2], parts[3]));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
