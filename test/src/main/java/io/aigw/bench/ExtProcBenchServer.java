package io.aigw.bench;

import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.deploy.cli.CommandVertx;
import io.aigw.extproc.auth.FileCredentialSource;
import io.aigw.extproc.metrics.ExtProcMetrics;
import io.aigw.extproc.processor.HeaderAttributes;
import io.aigw.extproc.processor.RequestTracer;
import io.aigw.extproc.server.ExtProcServer;
import io.aigw.extproc.tracing.Tracing;
import io.aigw.projections.desired.ExtProcSettings;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server side of the ExtProc benchmark, in a JVM of its own: the real {@link ExtProcServer} as
 * {@code aigw extproc} runs it (one instance per core, file credentials, Prometheus metrics) with
 * the route of {@link ExtProcWorkload}. Prints {@code READY <port>} when it serves; reads commands
 * on stdin: {@code metrics} prints the processor time per phase ({@code PHASE <name> <count>
 * <nanos>} lines, the process CPU time as {@code CPU <nanos>}, then {@code END}); end of input
 * stops it, so it never outlives the harness. With {@code -Daigw.bench.server=floor} it serves
 * {@link ExtProcFloorVerticle} instead: the same listener and answers without the processor. With
 * {@code -Daigw.bench.transport=io_uring} Vert.x runs on Netty's io_uring transport instead of
 * epoll (measured against it in BENCHMARKS.md; the commands stay on epoll); with {@code
 * -Daigw.bench.busy-poll=MICROS} its event loops poll as {@code aigw extproc --busy-poll} makes
 * them. The {@code OTEL_*} variables turn tracing on as they do for {@code aigw extproc}. With
 * {@code -Daigw.bench.quota=true} the backend has QuotaPolicy budgets no exchange spends ({@link
 * ExtProcWorkload#withQuota}), to measure what screening and drawing cost.
 *
 * <p>Run alone: {@code java -cp CLASSPATH io.aigw.bench.ExtProcBenchServer [port]}.
 */
public final class ExtProcBenchServer {

  private ExtProcBenchServer() {}

  /** The workload's route, with QuotaPolicy budgets under {@code -Daigw.bench.quota=true}. */
  private static FilterConfig route(Path key) {
    FilterConfig route = ExtProcWorkload.config(key.toString());
    return Boolean.getBoolean("aigw.bench.quota") ? ExtProcWorkload.withQuota(route) : route;
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    Path key = Files.createTempFile("aigw-bench-openai", ".key");
    key.toFile().deleteOnExit();
    Files.writeString(key, "sk-bench-0123456789abcdef");
    boolean nio = "false".equals(System.getProperty("aigw.bench.native"));
    boolean ioUring = "io_uring".equals(System.getProperty("aigw.bench.transport"));
    int busyPollMicros = ExtProcSettings.busyPollWindow(Long.getLong("aigw.bench.busy-poll", 0));
    if (busyPollMicros > 0 && (ioUring || nio)) {
      throw new IllegalArgumentException("busy polling runs on epoll only");
    }
    if (ioUring && !Transport.IO_URING.available()) {
      throw new IllegalStateException(
          "io_uring is not available", Transport.IO_URING.unavailabilityCause());
    }
    ExtProcServer.Options options = ExtProcServer.Options.onPort(port).withHost("127.0.0.1");
    String instances = System.getProperty("aigw.bench.instances");
    if (instances != null) {
      options = options.withInstances(Integer.parseInt(instances));
    }
    Vertx vertx;
    if (ioUring) {
      vertx = Vertx.builder().withTransport(Transport.IO_URING).build();
    } else if (nio) {
      vertx = Vertx.vertx();
    } else if (busyPollMicros > 0) {
      // as aigw extproc --busy-poll runs it, as many polling loops as verticles; the verticles are
      // one per CPU here (aigw extproc runs one fewer), or -Daigw.bench.instances
      vertx = CommandVertx.polling(busyPollMicros, options.instances());
    } else {
      // as the aigw commands run it: epoll where the platform has it
      vertx = CommandVertx.create();
    }
    boolean floor = "floor".equals(System.getProperty("aigw.bench.server"));
    System.err.printf(
        "ExtProc bench server%s: transport %s, busy poll %d us, %d instances%n",
        floor ? " (fixed-answer floor)" : "",
        ioUring ? "io_uring" : vertx.isNativeTransportEnabled() ? "epoll" : "nio",
        busyPollMicros,
        options.instances());
    FilterConfig route = route(key);
    ExtProcMetrics metrics = new ExtProcMetrics();
    Tracing tracing =
        Tracing.fromEnvironment(System.getenv(), HeaderAttributes.parse(HeaderAttributes.DEFAULT));
    System.err.println("tracing: " + tracing.description());
    int listening =
        floor
            ? startFloor(vertx, options, route)
            : startExtProc(vertx, options, route, metrics, tracing.tracer());
    System.out.println("READY " + listening);
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.trim().equals("metrics")) {
        printPhases(metrics);
      }
    }
    // undeploys the listeners, whichever they are
    vertx.close().await();
    tracing.close();
    System.exit(0);
  }

  /** The real ExtProc serving {@code route}; returns its port. */
  private static int startExtProc(
      Vertx vertx,
      ExtProcServer.Options options,
      FilterConfig route,
      ExtProcMetrics metrics,
      RequestTracer tracer) {
    ExtProcServer server =
        ExtProcServer.start(vertx, options, new FileCredentialSource(), metrics, tracer).await();
    List<String> problems = server.replaceIfValid(List.of(route));
    if (!problems.isEmpty()) {
      throw new IllegalStateException("benchmark route does not compile: " + problems);
    }
    return server.port();
  }

  /** The ExtProc's listener with {@code route}'s answers computed once; returns its port. */
  private static int startFloor(Vertx vertx, ExtProcServer.Options options, FilterConfig route)
      throws IOException {
    int port = options.port() == 0 ? freePort() : options.port();
    Map<ProcessingRequest.RequestCase, ProcessingResponse> answers =
        ExtProcFloorVerticle.answers(route);
    vertx
        .deployVerticle(
            () -> new ExtProcFloorVerticle(port, options.maxMessageBytes(), answers),
            new DeploymentOptions().setInstances(options.instances()))
        .await();
    return port;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void printPhases(ExtProcMetrics metrics) {
    for (Timer timer : metrics.registry().find("aigw.extproc.phase.duration").timers()) {
      System.out.printf(
          "PHASE %s %d %d%n",
          timer.getId().getTag("phase"),
          timer.count(),
          (long) timer.totalTime(TimeUnit.NANOSECONDS));
    }
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      System.out.printf("CPU %d%n", os.getProcessCpuTime());
    }
    System.out.println("END");
    System.out.flush();
  }
}
