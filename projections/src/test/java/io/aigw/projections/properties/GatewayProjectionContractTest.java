package io.aigw.projections.properties;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.RotationOutcome;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.filterconfig.FilterConfigCodec;
import io.aigw.projections.Projection;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.snapshot.TolerantFold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The composed controller fold. Its parts have their own contracts below, so that a broken law
 * names the part that broke it.
 */
class GatewayProjectionContractTest extends ProjectionContract<GatewayState> {

  @Override
  protected Projection<GatewayState> projection() {
    return new GatewayProjection();
  }

  @Override
  protected String render(GatewayState state) {
    return String.join(
        "\n---- \n", "seq " + state.seq(), desired(state), filterConfigs(state), statuses(state));
  }

  @Override
  protected Object content(GatewayState state) {
    return List.of(
        state.world().objects(), state.desired(), state.filterConfigs(), state.statuses());
  }

  @Override
  protected void classify(GatewayState state) {
    Statistics.label("desired objects")
        .collect(state.desired().isEmpty() ? "none" : state.desired().size() < 10 ? "1-9" : "10+");
    Statistics.label("statuses")
        .collect(
            state.statuses().values().stream()
                .map(status -> status.isAccepted() ? "Accepted" : "NotAccepted")
                .distinct()
                .sorted()
                .collect(Collectors.joining("+")));
  }

  /**
   * {@link GatewayProjection#prepare} only moves work: whatever entries are prepared ahead, and
   * entries that carry another event under the same seq, the fold reaches the same state.
   */
  @Property(tries = 150)
  void entriesPreparedAheadFoldToTheSameState(
      @ForAll("entries") List<LogEntry> entries, @ForAll("deliveries") List<Integer> modes) {
    GatewayProjection ahead = new GatewayProjection();
    for (int i = 0; i < entries.size(); i++) {
      LogEntry entry = entries.get(i);
      switch (modes.get(i % modes.size())) {
        case 1 -> ahead.prepare(entry);
        case 2 -> {
          LogEvent other = entries.get((i + 1) % entries.size()).event();
          ahead.prepare(new LogEntry(entry.seq(), entry.recordedAt(), other));
        }
        default -> {}
      }
    }
    TolerantFold<GatewayState> prepared = new TolerantFold<>(ahead);
    TolerantFold<GatewayState> inline = new TolerantFold<>(new GatewayProjection());
    GatewayState expected = inline.applyAll(inline.initial(), entries);
    GatewayState actual = prepared.applyAll(prepared.initial(), entries);
    assertThat(actual).isEqualTo(expected);
    assertThat(render(actual)).isEqualTo(render(expected));
  }

  /**
   * What the fold derives depends on the objects in effect, not on the path to them: the fold of
   * any log equals the fold of its final objects recorded afresh in a shuffled order (then the
   * rotation failures in effect). A dependency between objects that the catalog's indexes miss
   * leaves an output stale on the first path and not on the second; the laws that compare one
   * incremental fold with another cannot see it.
   */
  @Property(tries = 150, maxDiscardRatio = 20)
  void theOutputsDependOnTheObjectsInEffectNotOnTheOrderTheyCameIn(
      @ForAll("entries") List<LogEntry> entries, @ForAll java.util.Random random) {
    TolerantFold<GatewayState> fold = new TolerantFold<>(new GatewayProjection());
    GatewayState live = fold.applyAll(fold.initial(), entries);
    // an object whose latest version is invalid keeps an older one in effect, which a log of the
    // final versions alone cannot hold
    Assume.that(live.catalog().violations().isEmpty());
    List<WatchEvent> objects = new ArrayList<>();
    live.world().objects().values().forEach(object -> objects.add(object.event()));
    Collections.shuffle(objects, random);
    List<LogEntry> recorded = new ArrayList<>();
    for (WatchEvent event : objects) {
      recorded.add(new LogEntry(recorded.size() + 1, Instant.EPOCH, event));
    }
    // the rotation failures in effect are part of what the outputs depend on
    for (RotationOutcome failure : live.catalog().rotationFailures().values()) {
      recorded.add(new LogEntry(recorded.size() + 1, Instant.EPOCH, failure));
    }
    GatewayState afresh = fold.applyAll(fold.initial(), recorded);
    assertThat(afresh.desiredYaml()).isEqualTo(live.desiredYaml());
    assertThat(filterConfigs(afresh)).isEqualTo(filterConfigs(live));
    assertThat(statuses(afresh)).isEqualTo(statuses(live));
  }

  /** The desired objects as YAML, each with its provenance. */
  static String desired(GatewayState state) {
    String provenance =
        state.desired().values().stream()
            .map(DesiredResource.class::cast)
            .map(resource -> resource.key() + " <- " + resource.provenance())
            .collect(Collectors.joining("\n"));
    return state.desiredYaml() + provenance;
  }

  static String filterConfigs(GatewayState state) {
    return state.filterConfigs().entrySet().stream()
        .map(entry -> entry.getKey() + "\n" + FilterConfigCodec.toYaml(entry.getValue()))
        .collect(Collectors.joining("\n"));
  }

  static String statuses(GatewayState state) {
    return state.statuses().values().stream()
        .map(CanonicalJson::writeValue)
        .collect(Collectors.joining("\n"));
  }
}
