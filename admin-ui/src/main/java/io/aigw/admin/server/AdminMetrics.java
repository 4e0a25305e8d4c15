package io.aigw.admin.server;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The admin server's own Prometheus series: requests by route and status, their total seconds, the
 * index's seq and the number of live-stream clients.
 */
final class AdminMetrics {

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
  private final LongSupplier indexSeq;
  private final IntSupplier streamClients;

  AdminMetrics(LongSupplier indexSeq, IntSupplier streamClients) {
    this.indexSeq = indexSeq;
    this.streamClients = streamClients;
  }

  /** Counts the request once its response ends. */
  void record(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(
        ignored -> {
          Route route = ctx.currentRoute();
          String path = route == null || route.getPath() == null ? "other" : route.getPath();
          if (!path.startsWith("/api") && !path.endsWith("z") && !path.equals("/metrics")) {
            path = "static";
          }
          String status = Integer.toString(ctx.response().getStatusCode());
          requests.computeIfAbsent(path + "|" + status, k -> new LongAdder()).increment();
          nanos.computeIfAbsent(path, k -> new LongAdder()).add(System.nanoTime() - start);
        });
    ctx.next();
  }

  String scrape() {
    StringBuilder out = new StringBuilder();
    out.append("# HELP aigw_admin_requests_total Admin API requests by route and status.\n")
        .append("# TYPE aigw_admin_requests_total counter\n");
    new TreeMap<>(requests)
        .forEach(
            (key, count) -> {
              String[] parts = key.split("\\|", 2);
              out.append("aigw_admin_requests_total{route=\"")
                  .append(parts[0])
                  .append("\",status=\"")
                  .append(parts[1])
                  .append("\"} ")
                  .append(count.sum())
                  .append('\n');
            });
    out.append("# HELP aigw_admin_request_seconds_total Time spent answering, by route.\n")
        .append("# TYPE aigw_admin_request_seconds_total counter\n");
    new TreeMap<>(nanos)
        .forEach(
            (path, sum) ->
                out.append("aigw_admin_request_seconds_total{route=\"")
                    .append(path)
                    .append("\"} ")
                    .append(sum.sum() / 1e9)
                    .append('\n'));
    out.append("# HELP aigw_admin_index_seq The last log seq the admin index holds.\n")
        .append("# TYPE aigw_admin_index_seq gauge\n")
        .append("aigw_admin_index_seq ")
        .append(indexSeq.getAsLong())
        .append('\n')
        .append("# HELP aigw_admin_stream_clients Clients of /api/stream.\n")
        .append("# TYPE aigw_admin_stream_clients gauge\n")
        .append("aigw_admin_stream_clients ")
        .append(streamClients.getAsInt())
        .append('\n');
    return out.toString();
  }
}
