package io.aigw.projections.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.aigw.core.event.ObjectKey;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DesiredResourceTest {

  private static final ObjectKey KEY = new ObjectKey("", "ConfigMap", "default", "ai-eg-chat");

  /** Renders {@code {"data": value}}, counting how often. */
  private static final class CountingRender implements Supplier<JsonNode> {
    final AtomicInteger renders = new AtomicInteger();
    private final String value;

    CountingRender(String value) {
      this.value = value;
    }

    @Override
    public JsonNode get() {
      renders.incrementAndGet();
      return JsonNodeFactory.instance.objectNode().put("data", value);
    }
  }

  private static DesiredResource resource(Supplier<JsonNode> render, long... seqs) {
    TreeSet<Long> provenance = new TreeSet<>();
    for (long seq : seqs) {
      provenance.add(seq);
    }
    return new DesiredResource(KEY, render, provenance);
  }

  @Test
  void keepsTheTreeItRendersForObjectButNotForTransientReaders() {
    CountingRender render = new CountingRender("a");
    DesiredResource resource = resource(render, 1);

    resource.transientObject();
    resource.transientObject();
    assertThat(render.renders).hasValue(2);

    JsonNode kept = resource.object();
    assertThat(resource.object()).isSameAs(kept);
    assertThat(resource.transientObject()).isSameAs(kept);
    assertThat(render.renders).hasValue(3);
  }

  @Test
  void comparesWithoutKeepingTheTreesItRendered() {
    CountingRender live = new CountingRender("a");
    CountingRender replayed = new CountingRender("a");
    DesiredResource mine = resource(live, 1, 2);
    DesiredResource theirs = resource(replayed, 1, 2);

    assertThat(mine).isEqualTo(theirs).hasSameHashCodeAs(theirs);
    assertThat(mine).isNotEqualTo(resource(new CountingRender("b"), 1, 2));
    assertThat(mine).isNotEqualTo(resource(new CountingRender("a"), 1, 3));

    // each comparison rendered both sides and kept neither tree
    int before = live.renders.get();
    assertThat(before).isEqualTo(2);
    mine.transientObject();
    assertThat(live.renders).hasValue(before + 1);
    assertThat(replayed.renders).hasValue(1);

    // a tree kept by object() is what a comparison reads
    JsonNode kept = mine.object();
    assertThat(mine).isEqualTo(theirs);
    assertThat(mine.object()).isSameAs(kept);
    assertThat(live.renders).hasValue(before + 2);
  }
}
