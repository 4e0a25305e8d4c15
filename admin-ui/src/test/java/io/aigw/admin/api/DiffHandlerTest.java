package io.aigw.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.admin.view.StatusChange;
import io.aigw.admin.view.StatusItem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiffHandlerTest {

  private static StatusItem status(String name, boolean accepted) {
    return new StatusItem(
        "aigateway.envoyproxy.io",
        "AIGatewayRoute",
        "default",
        name,
        1,
        accepted,
        accepted ? "ok" : "broken",
        List.of());
  }

  private static StatusChange change(String name, Boolean before, Boolean after) {
    return new StatusChange(
        "aigateway.envoyproxy.io",
        "AIGatewayRoute",
        "default",
        name,
        before == null ? null : status(name, before),
        after == null ? null : status(name, after));
  }

  @Test
  void statusesThatStoppedBeingAcceptedComeFirstThenThoseAcceptedAgain() {
    List<StatusChange> changes =
        new ArrayList<>(
            List.of(
                change("a-message-only", true, true),
                change("b-new", null, true),
                change("c-recovered", false, true),
                change("d-broke", true, false),
                change("e-new-and-broken", null, false),
                change("f-gone", false, null)));
    changes.sort(Comparator.comparingInt(DiffHandler::rank));
    assertThat(changes)
        .extracting(StatusChange::name)
        .containsExactly(
            "d-broke", "e-new-and-broken", "c-recovered", "f-gone", "a-message-only", "b-new");
  }
}
