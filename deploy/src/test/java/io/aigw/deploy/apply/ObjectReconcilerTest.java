package io.aigw.deploy.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.Outcome;
import io.aigw.deploy.apply.TargetRecord.Existence;
import io.aigw.deploy.apply.TargetRecord.Known;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A prune of an object the applier never saw as its own (after a create that found the name taken,
 * say): only an object labelled as aigw's is deleted.
 */
class ObjectReconcilerTest {

  static final ObjectKey ROUTE =
      new ObjectKey("gateway.networking.k8s.io", "HTTPRoute", "team-a", "chat");

  final FakeApiServer api = new FakeApiServer();
  final ObjectReconciler reconciler = new ObjectReconciler(api);

  @AfterEach
  void close() {
    api.close();
  }

  private Step pruneUnknown() throws Exception {
    Known unknown = new Known(Existence.UNKNOWN, "", Optional.empty(), "");
    ResourceType type = ResourceType.of(ROUTE).orElseThrow();
    return reconciler
        .reconcile(ROUTE, type, Optional.empty(), unknown, true)
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static ObjectNode route(String labels) {
    return (ObjectNode)
        CanonicalJson.read(
            "{\"apiVersion\":\"gateway.networking.k8s.io/v1\",\"kind\":\"HTTPRoute\","
                + "\"metadata\":{\"name\":\"chat\",\"namespace\":\"team-a\",\"labels\":"
                + labels
                + "},\"spec\":{}}");
  }

  @Test
  void anObjectLabelledAsAigwsIsDeleted() throws Exception {
    api.put(ROUTE, route("{\"app.kubernetes.io/managed-by\":\"aigw\"}"));

    Step step = pruneUnknown();

    assertThat(step.outcome()).contains(Outcome.DELETED);
    assertThat(api.object(ROUTE)).isEmpty();
  }

  @Test
  void anObjectWithoutTheLabelIsLeftAndForgotten() throws Exception {
    api.put(ROUTE, route("{\"team\":\"a\"}"));

    Step step = pruneUnknown();

    assertThat(step.outcome()).isEmpty();
    assertThat(api.object(ROUTE)).isPresent();
    TargetRecord record = new TargetRecord();
    record.existence = Existence.UNKNOWN;
    step.learned().accept(record);
    assertThat(record.existence).isEqualTo(Existence.ABSENT);
  }
}
