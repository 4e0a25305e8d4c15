package io.aigw.extproc.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BodyMutation;
import io.aigw.core.filterconfig.HeaderMutation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
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
            BackendSelector.select(List.of(choice("a", 0, 0), choice("b", 1, 0)), health, 0, 0.0)
                .orElseThrow()
                .target()
                .name())
        .isEqualTo("b");
    assertThat(
            BackendSelector.select(List.of(choice("a", 0, 0), choice("b", 0, 0)), health, 0, 0.6)
                .orElseThrow()
                .target()
                .name())
        .isEqualTo("b");
    assertThat(
            BackendSelector.select(List.of(choice("a", 1, 0), choice("b", 0, 0)), health, 0, 0.9999)
                .orElseThrow()
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

  // The selector picks in one pass without building lists; this property holds it to the rule as
  // written: the lowest priority with a backend not ejected, a weighted choice among those backends
  // (uniform when all weigh 0), the lowest priority whole when everything is ejected.

  record Candidate(int weight, long priority, boolean ejected) {}

  @Property(tries = 2000)
  void picksAsTheRuleIsWritten(
      @ForAll("candidates") List<Candidate> candidates,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random) {
    BackendHealth health = new BackendHealth(new PassiveHealthPolicy(1, 1_000, 1_000));
    List<BackendChoice> choices = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      choices.add(choice("b" + i, c.weight(), c.priority()));
      if (c.ejected()) {
        health.record("b" + i, 503, 0);
      }
    }
    Optional<BackendChoice> picked = BackendSelector.select(choices, health, 1, random);
    assertThat(picked.map(c -> c.target().name()))
        .isEqualTo(reference(choices, health, random).map(c -> c.target().name()));
  }

  /** The rule spelled out with lists, as the selector did before it became one pass. */
  private static Optional<BackendChoice> reference(
      List<BackendChoice> choices, BackendHealth health, double random) {
    if (choices.isEmpty()) {
      return Optional.empty();
    }
    List<Long> priorities =
        choices.stream().map(BackendChoice::priority).distinct().sorted().toList();
    for (long priority : priorities) {
      List<BackendChoice> tier =
          choices.stream()
              .filter(c -> c.priority() == priority)
              .filter(c -> health.isAvailable(c.target().name(), 1))
              .toList();
      if (!tier.isEmpty()) {
        return Optional.of(weighted(tier, random));
      }
    }
    long lowest = priorities.get(0);
    return Optional.of(
        weighted(choices.stream().filter(c -> c.priority() == lowest).toList(), random));
  }

  private static BackendChoice weighted(List<BackendChoice> choices, double random) {
    long total = choices.stream().mapToLong(BackendChoice::weight).sum();
    if (total == 0) {
      return choices.get((int) Math.floor(random * choices.size()));
    }
    double point = random * total;
    long cumulative = 0;
    for (BackendChoice choice : choices) {
      cumulative += choice.weight();
      if (point < cumulative) {
        return choice;
      }
    }
    throw new AssertionError("random below 1 always lands on a weighted choice");
  }

  @Provide
  Arbitrary<List<Candidate>> candidates() {
    Arbitrary<Candidate> one =
        Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.longs().between(0, 3),
                Arbitraries.of(true, false))
            .as(Candidate::new);
    return one.list().ofMaxSize(8);
  }
}
