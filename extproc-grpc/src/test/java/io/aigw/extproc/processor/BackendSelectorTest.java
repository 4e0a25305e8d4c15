package io.aigw.extproc.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BodyMutation;
import io.aigw.core.filterconfig.HeaderMutation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackendSelectorTest {

  private static BackendChoice choice(String name, int weight, long priority) {
    return new BackendChoice(
        new BackendTarget(
            name, name, new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"), Optional.empty()),
        weight,
        priority,
        Optional.empty(),
        new HeaderMutation(List.of(), List.of()),
        new BodyMutation(List.of(), List.of()));
  }

  private final BackendHealth health = new BackendHealth(new PassiveHealthPolicy(2, 1_000, 4_000));

  @Test
  void splitsByWeight() {
    List<BackendChoice> choices = List.of(choice("a", 1, 0), choice("b", 3, 0));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      String name =
          BackendSelector.select(choices, health, 0, i / 1000.0).orElseThrow().target().name();
      counts.merge(name, 1, Integer::sum);
    }
    assertThat(counts).containsEntry("a", 250).containsEntry("b", 750);
  }

  @Test
  void zeroWeightsAreChosenOnlyWhenAllAreZeroThenUniformly() {
    assertThat(
            BackendSelector.weighted(List.of(choice("a", 0, 0), choice("b", 1, 0)), 0.0)
                .target()
                .name())
        .isEqualTo("b");
    assertThat(
            BackendSelector.weighted(List.of(choice("a", 0, 0), choice("b", 0, 0)), 0.6)
                .target()
                .name())
        .isEqualTo("b");
    assertThat(
            BackendSelector.weighted(List.of(choice("a", 1, 0), choice("b", 0, 0)), 0.9999)
                .target()
                .name())
        .isEqualTo("a");
  }

  @Test
  void fallsBackToTheNextPriorityWhileTheFirstIsEjectedAndReturnsAfterTheBackOff() {
    List<BackendChoice> choices = List.of(choice("primary", 1, 0), choice("fallback", 1, 1));
    assertThat(BackendSelector.select(choices, health, 0, 0.1).orElseThrow().target().name())
        .isEqualTo("primary");
    health.record("primary", 503, 10);
    assertThat(health.isAvailable("primary", 10)).as("one 5xx is not enough").isTrue();
    health.record("primary", 500, 20);
    assertThat(BackendSelector.select(choices, health, 30, 0.1).orElseThrow().target().name())
        .isEqualTo("fallback");
    assertThat(health.ejected(30)).containsExactly("primary");
    assertThat(BackendSelector.select(choices, health, 1_020, 0.1).orElseThrow().target().name())
        .isEqualTo("primary");
  }

  @Test
  void backOffDoublesOnRepeatedEjectionAndResetsOnSuccess() {
    health.record("a", 500, 0);
    health.record("a", 500, 0);
    assertThat(health.isAvailable("a", 999)).isFalse();
    health.record("a", 500, 1_000);
    health.record("a", 500, 1_000);
    assertThat(health.isAvailable("a", 2_999)).as("second ejection lasts 2000").isFalse();
    assertThat(health.isAvailable("a", 3_000)).isTrue();
    health.record("a", 200, 3_000);
    health.record("a", 500, 3_001);
    health.record("a", 500, 3_001);
    assertThat(health.isAvailable("a", 4_001)).as("success reset the back-off").isTrue();
  }

  @Test
  void usesTheLowestPriorityWhenEverythingIsEjected() {
    List<BackendChoice> choices = List.of(choice("p0", 1, 0), choice("p1", 1, 1));
    for (String name : List.of("p0", "p1")) {
      health.record(name, 500, 0);
      health.record(name, 500, 0);
    }
    assertThat(BackendSelector.select(choices, health, 1, 0.5).orElseThrow().target().name())
        .isEqualTo("p0");
    assertThat(BackendSelector.select(List.of(), health, 1, 0.5)).isEmpty();
  }
}
