package io.aigw.admin.api;

import io.aigw.admin.history.LogIndex;
import io.aigw.admin.view.EntrySummary;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.log.EventLog;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.ProjectionHost;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/provenance?kind=&namespace=&name=&at=SEQ}: the log entries that shaped one
 * generated resource at SEQ (its provenance seqs, each with its timeline line).
 */
public final class ProvenanceHandler {

  private final Vertx vertx;
  private final ProjectionHost<GatewayState> host;
  private final StateHandler states;
  private final EntryReader reader;

  public ProvenanceHandler(
      Vertx vertx,
      EventLog log,
      LogIndex index,
      ProjectionHost<GatewayState> host,
      StateHandler states) {
    this.vertx = vertx;
    this.host = host;
    this.states = states;
    this.reader = new EntryReader(log, index);
  }

  /** The resource, the seq it was looked at, its provenance and the entries behind it. */
  public record ProvenanceView(
      String group,
      String kind,
      String namespace,
      String name,
      long at,
      List<Long> provenance,
      List<EntrySummary> entries) {}

  public void provenance(RoutingContext ctx) {
    String kind = required(ctx, "kind");
    String name = required(ctx, "name");
    String namespace = ApiParams.text(ctx, "namespace").orElse("");
    Optional<String> group = ApiParams.text(ctx, "group");
    long at = ApiParams.seq(ctx, "at").orElse(host.currentSeq());
    states
        .stateAt(at)
        // on a worker: the first read of a state's desired objects may derive them
        .compose(
            state ->
                vertx.executeBlocking(
                    () -> view(find(state, group, kind, namespace, name), at), false))
        .onComplete(result -> LogHandler.respond(ctx, result));
  }

  private ProvenanceView view(DesiredResource resource, long at) {
    ObjectKey key = resource.key();
    List<Long> seqs = List.copyOf(resource.provenance());
    return new ProvenanceView(
        key.group(),
        key.kind(),
        key.namespace(),
        key.name(),
        at,
        seqs,
        reader.summaries(reader.read(seqs)));
  }

  static DesiredResource find(
      GatewayState state, Optional<String> group, String kind, String namespace, String name) {
    List<DesiredResource> found = new ArrayList<>();
    if (group.isPresent()) {
      DesiredResource resource =
          state.desired().get(new ObjectKey(group.get(), kind, namespace, name));
      if (resource != null) {
        found.add(resource);
      }
    } else {
      for (Map.Entry<ObjectKey, DesiredResource> entry : state.desired().entrySet()) {
        ObjectKey key = entry.getKey();
        if (key.kind().equals(kind)
            && key.namespace().equals(namespace)
            && key.name().equals(name)) {
          found.add(entry.getValue());
        }
      }
    }
    String what = kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    if (found.isEmpty()) {
      throw ApiException.notFound("no generated resource " + what + " at seq " + state.seq());
    }
    if (found.size() > 1) {
      throw ApiException.badRequest(what + " exists in more than one API group: give group=");
    }
    return found.get(0);
  }

  static String required(RoutingContext ctx, String name) {
    return ApiParams.text(ctx, name)
        .filter(value -> !value.isEmpty())
        .orElseThrow(() -> ApiException.badRequest(name + " is required"));
  }
}
