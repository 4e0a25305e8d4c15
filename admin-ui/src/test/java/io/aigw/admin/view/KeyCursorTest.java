package io.aigw.admin.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.ObjectKey;
import org.junit.jupiter.api.Test;

class KeyCursorTest {

  @Test
  void roundTripsAKeyAndRefusesAnythingElse() {
    ObjectKey key = new ObjectKey("gateway.networking.k8s.io", "HTTPRoute", "", "a/b");
    assertThat(KeyCursor.decode(KeyCursor.encode(key))).hasValue(key);
    assertThat(KeyCursor.decode("%%%")).isEmpty();
    assertThat(KeyCursor.decode("YWJj")).isEmpty();
  }
}
