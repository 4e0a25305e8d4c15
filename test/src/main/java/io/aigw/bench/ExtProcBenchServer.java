package io.aigw.bench;

import io.aigw.extproc.auth.FileCredentialSource;
import io.aigw.extproc.metrics.ExtProcMetrics;
import io.aigw.extproc.server.ExtProcServer;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server side of the ExtProc benchmark, in a JVM of its own: the real {@link ExtProcServer} as
 * {@code aigw extproc} runs it (one instance per core, file credentials, Prometheus metrics) with
 * the route of {@link ExtProcWorkload}. Prints {@code READY <port>} when it serves; reads commands
 * on stdin: {@code metrics} prints the processor time per phase ({@code PHASE <name> <count>
 * <nanos>} lines, the process CPU time as {@code CPU <nanos>}, then {@code END}); end of input
 * stops it, so it never outlives the harness.
 *
 * <p>Run alone: {@code java -cp CLASSPATH io.aigw.bench.ExtProcBenchServer [port]}.
 */
public final class ExtProcBenchServer {

  private ExtProcBenchServer() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    Path key = Files.createTempFile("aigw-bench-openai", ".key");
    key.toFile().deleteOnExit();
    Files.writeString(key, "sk-bench-0123456789abcdef");
    // as the aigw commands run it (CommandVertx): the native transport where the platform has it
    boolean preferNative = !"false".equals(System.getProperty("aigw.bench.native"));
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(preferNative));
    ExtProcServer.Options options = ExtProcServer.Options.onPort(port).withHost("127.0.0.1");
    String instances = System.getProperty("aigw.bench.instances");
    if (instances != null) {
      options = options.withInstances(Integer.parseInt(instances));
    }
    System.err.printf(
        "ExtProc bench server: native transport %s, %d instances%n",
        vertx.isNativeTransportEnabled(), options.instances());
    ExtProcMetrics metrics = new ExtProcMetrics();
    ExtProcServer server =
        ExtProcServer.start(vertx, options, new FileCredentialSource(), metrics).await();
    List<String> problems = server.replaceIfValid(List.of(ExtProcWorkload.config(key.toString())));
    if (!problems.isEmpty()) {
      throw new IllegalStateException("benchmark route does not compile: " + problems);
    }
    System.out.println("READY " + server.port());
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.trim().equals("metrics")) {
        printPhases(metrics);
      }
    }
    server.close().await();
    vertx.close().await();
    System.exit(0);
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
