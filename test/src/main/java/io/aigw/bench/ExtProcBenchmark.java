package io.aigw.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The ExtProc benchmark: starts {@link ExtProcBenchServer} (the real ExtProc) as a child JVM,
 * drives it from this JVM with {@link ExtProcLoad} over persistent gRPC connections, and prints a
 * Markdown table. Runs: a warm-up, open loop at fixed rates (default 1,000, 5,000, 10,000/s), a
 * search for the open-loop maximum (achieved ≥ 98% of the target and p99 within a bound), and
 * streaming throughput. Total runtime about 3 minutes with the defaults.
 *
 * <p>Options: {@code --seconds 20} per fixed rate, {@code --step-seconds 6} per step of the maximum
 * search, {@code --warmup 60}, {@code --connections 2}, {@code --rates 1000,5000,10000}, {@code
 * --bound-ms 5} (p99 bound of the maximum search), {@code --streams 16}, {@code --stream-seconds
 * 10}, {@code --compare-connections 1} with {@code --compare-seconds 10} (the fixed rates again
 * over that many connections; 0 skips), {@code --jfr FILE} (record the server with Java Flight
 * Recorder), {@code --server-opts "-Xmx1g ..."}, {@code --port P} (drive a server started
 * separately instead).
 */
public final class ExtProcBenchmark {

  private static final int[] MAX_STEPS = {
    2_500, 5_000, 7_500, 10_000, 12_500, 15_000, 17_500, 20_000, 25_000, 30_000, 35_000, 40_000,
    50_000
  };

  private ExtProcBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    double seconds = Double.parseDouble(opts.getOrDefault("seconds", "20"));
    double stepSeconds = Double.parseDouble(opts.getOrDefault("step-seconds", "6"));
    double warmup = Double.parseDouble(opts.getOrDefault("warmup", "60"));
    int connections = Integer.parseInt(opts.getOrDefault("connections", "2"));
    long boundNanos = (long) (Double.parseDouble(opts.getOrDefault("bound-ms", "5")) * 1e6);
    int[] rates =
        Arrays.stream(opts.getOrDefault("rates", "1000,5000,10000").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    Server server = opts.containsKey("port") ? null : Server.start(opts);
    int port = server == null ? Integer.parseInt(opts.get("port")) : server.port;
    ExtProcWorkload.Messages messages = new ExtProcWorkload.Messages();
    List<String> rows = new ArrayList<>();
    try (ExtProcGenerator load = generator(opts, port, connections, messages)) {
      load.connect();
      header(connections, messages, opts);
      progress("warm-up " + warmup + " s");
      warmUp(load, warmup);
      int sustained = 0;
      for (int rate : rates) {
        ExtProcLoad.RunResult r =
            measured(server, load, rate, seconds, "open loop", boundNanos, rows);
        if (passes(r, boundNanos)) {
          sustained = Math.max(sustained, rate);
        }
      }
      sustained = maximum(server, load, rates, sustained, stepSeconds, boundNanos, rows);
      int compare = Integer.parseInt(opts.getOrDefault("compare-connections", "1"));
      if (compare > 0 && compare != connections) {
        compare(server, port, compare, rates, opts, messages, rows);
      }
      ExtProcLoad.StreamResult s =
          load.streaming(
              Integer.parseInt(opts.getOrDefault("streams", "16")),
              8,
              Double.parseDouble(opts.getOrDefault("stream-seconds", "10")));
      print(rows, sustained, boundNanos, s);
      if (server != null) {
        printPhases(server.phases());
      }
    } finally {
      if (server != null) {
        server.stop();
      }
    }
  }

  /**
   * Runs until {@code seconds} of wall time have passed, also when a slow box saturates a step and
   * cuts it short: the JIT needs the time, not a number of exchanges.
   */
  private static void warmUp(ExtProcGenerator load, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    // streaming first: its code paths change the JIT's profiles of the shared ones, and the
    // recompilation that follows would otherwise land in the first measured run
    load.streaming(8, 8, 2);
    int step = 0;
    while (System.nanoTime() < end) {
      load.openLoop(step++ % 2 == 0 ? 5_000 : 10_000, Math.min(5, seconds));
    }
  }

  /**
   * The load generator {@code --client} names: {@code netty} (default, {@link ExtProcNettyLoad} on
   * {@code --client-threads} event loops, default 2) or {@code grpc-java} ({@link ExtProcLoad}).
   */
  private static ExtProcGenerator generator(
      Map<String, String> opts, int port, int connections, ExtProcWorkload.Messages messages) {
    String client = opts.getOrDefault("client", "netty");
    return switch (client) {
      case "netty" ->
          new ExtProcNettyLoad(
              "127.0.0.1",
              port,
              connections,
              Integer.parseInt(opts.getOrDefault("client-threads", "2")),
              messages);
      case "grpc-java" -> new ExtProcLoad("127.0.0.1", port, connections, messages);
      default -> throw new IllegalArgumentException("--client netty|grpc-java, not " + client);
    };
  }

  /** The fixed rates again over another number of connections (shorter runs). */
  private static void compare(
      Server server,
      int port,
      int connections,
      int[] rates,
      Map<String, String> opts,
      ExtProcWorkload.Messages messages,
      List<String> rows)
      throws IOException {
    double seconds = Double.parseDouble(opts.getOrDefault("compare-seconds", "10"));
    try (ExtProcGenerator other = generator(opts, port, connections, messages)) {
      other.connect();
      other.openLoop(5_000, 2);
      String label = connections == 1 ? "1 connection" : connections + " connections";
      for (int rate : rates) {
        measured(server, other, rate, seconds, label + ", open loop", Long.MAX_VALUE, rows);
      }
    }
  }

  /** Steps up from the highest fixed rate that passed until a step fails. */
  private static int maximum(
      Server server,
      ExtProcGenerator load,
      int[] rates,
      int sustained,
      double stepSeconds,
      long boundNanos,
      List<String> rows)
      throws IOException {
    boolean fixedFailed = sustained < Arrays.stream(rates).max().orElse(0);
    if (fixedFailed) {
      return sustained;
    }
    int best = sustained;
    for (int rate : MAX_STEPS) {
      if (rate <= sustained) {
        continue;
      }
      ExtProcLoad.RunResult r =
          measured(server, load, rate, stepSeconds, "max search", boundNanos, rows);
      if (!passes(r, boundNanos)) {
        break;
      }
      best = rate;
    }
    return best;
  }

  private static boolean passes(ExtProcLoad.RunResult r, long boundNanos) {
    return !r.saturated()
        && r.failed() == 0
        && r.achieved() >= 0.98 * r.target()
        && r.added().getValueAtPercentile(99) <= boundNanos;
  }

  private static void header(
      int connections, ExtProcWorkload.Messages m, Map<String, String> opts) {
    System.out.printf(
        "%nExtProc benchmark, %s, %d cores, Java %s, load before: %s%n"
            + "exchange = request headers + %d-byte chat body + response headers + %d-byte"
            + " completion with usage; one stream per exchange over %d persistent connections;"
            + " client %s%n",
        Instant.now(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        load(),
        m.requestBodyBytes,
        m.responseBodyBytes,
        connections,
        opts.getOrDefault("client", "netty"));
  }

  private static String row(String label, ExtProcLoad.RunResult r, String perExchange) {
    progress(
        label + " done" + (r.firstFailure() == null ? "" : ", first failure: " + r.firstFailure()));
    Histogram a = r.added();
    String achieved =
        String.format("%,.0f/s", r.achieved()) + (r.saturated() ? " (saturated)" : "");
    return String.join(
        " | ",
        "| " + label,
        achieved,
        time(a.getValueAtPercentile(50)),
        time(a.getValueAtPercentile(99)),
        time(a.getValueAtPercentile(99.9)),
        time(a.getMaxValue()),
        time(r.roundTrips().getValueAtPercentile(99)),
        time(r.lag().getValueAtPercentile(99)),
        perExchange,
        r.failed() + (r.invalid() > 0 ? " (" + r.invalid() + " without metadata)" : ""),
        load() + " |");
  }

  private static void print(
      List<String> rows, int sustained, long boundNanos, ExtProcLoad.StreamResult s) {
    System.out.println();
    System.out.println(
        "| run | achieved | added p50 | added p99 | added p99.9 | added max | round trips p99"
            + " | generator lag p99 | CPU µs/exchange server / generator"
            + " | in processor µs/exchange | failed | load (1/5/15 min) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.out.printf(
        "%n**Maximum sustained rate (open loop, achieved ≥ 98%%, p99 ≤ %s): %s**%n",
        time(boundNanos),
        sustained == 0 ? "below the lowest rate" : String.format("%,d/s", sustained));
    Histogram rtt = s.chunkRtt();
    System.out.printf(
        "%n| streaming | chunks/s | MB/s (SSE) | chunk round trip p50 | p99 | failed | load |%n"
            + "|---|---|---|---|---|---|---|%n"
            + "| %d streams, %d-byte chunks of 4 events, 8 in flight per stream | %,.0f | %.1f |"
            + " %s | %s | %d | %s |%n",
        s.streams(),
        s.chunkBytes(),
        s.chunksPerSecond(),
        s.megabytesPerSecond(),
        time(rtt.getValueAtPercentile(50)),
        time(rtt.getValueAtPercentile(99)),
        s.failed(),
        load());
  }

  /**
   * One open-loop run and its table row, with what it cost per exchange: server and generator
   * process CPU time (insensitive to other load on the box, unlike latency) and the wall time
   * inside the processor (the server's phase timer).
   */
  private static ExtProcLoad.RunResult measured(
      Server server,
      ExtProcGenerator load,
      int rate,
      double seconds,
      String label,
      long boundNanos,
      List<String> rows)
      throws IOException {
    Map<String, long[]> before = server == null ? Map.of() : server.phases();
    long generatorBefore = generatorCpu();
    ExtProcLoad.RunResult r = load.openLoop(rate, seconds);
    long generatorNanos = generatorCpu() - generatorBefore;
    Map<String, long[]> after = server == null ? Map.of() : server.phases();
    long processor = 0;
    for (Map.Entry<String, long[]> e : after.entrySet()) {
      long[] b = before.getOrDefault(e.getKey(), new long[2]);
      if (!e.getKey().equals(Server.CPU)) {
        processor += e.getValue()[1] - b[1];
      }
    }
    long serverCpu =
        after.getOrDefault(Server.CPU, new long[2])[1]
            - before.getOrDefault(Server.CPU, new long[2])[1];
    double n = Math.max(1, r.completed());
    String costs =
        String.format(
            "%.0f / %.0f | %.0f",
            serverCpu / 1e3 / n, generatorNanos / 1e3 / n, processor / 1e3 / n);
    String mark = label.startsWith("max search") && !passes(r, boundNanos) ? " ✗" : "";
    rows.add(row(label + " " + String.format("%,d", rate) + "/s" + mark, r, costs));
    return r;
  }

  private static long generatorCpu() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  private static void printPhases(Map<String, long[]> phases) {
    System.out.println();
    System.out.println("Server processor time per message, whole run incl. warm-up (mean):");
    phases.remove(Server.CPU);
    phases.forEach(
        (phase, v) ->
            System.out.printf(
                "  %-20s %,12d messages %8.1f µs%n",
                phase, v[0], v[0] == 0 ? 0 : v[1] / 1e3 / v[0]));
  }

  static String time(long nanos) {
    if (nanos < 1_000_000) {
      return String.format("%.0f µs", nanos / 1e3);
    }
    if (nanos < 1_000_000_000) {
      return String.format("%.2f ms", nanos / 1e6);
    }
    return String.format("%.2f s", nanos / 1e9);
  }

  static String load() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " / " + parts[1] + " / " + parts[2];
    } catch (IOException e) {
      return "n/a";
    }
  }

  private static void progress(String what) {
    System.err.printf("[%s] %s (load %s)%n", Instant.now(), what, load());
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }

  /** The ExtProc in its own JVM, stopped by closing its stdin. */
  private static final class Server {
    /** The key of the server's process CPU time among {@link #phases()}. */
    static final String CPU = "#cpu";

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final int port;

    private Server(Process process, BufferedReader out, Writer in, int port) {
      this.process = process;
      this.out = out;
      this.in = in;
      this.port = port;
    }

    static Server start(Map<String, String> opts) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(
          Arrays.asList(opts.getOrDefault("server-opts", "-Xms1g -Xmx1g").trim().split("\\s+")));
      if (opts.containsKey("jfr")) {
        command.add(
            "-XX:StartFlightRecording=filename="
                + Path.of(opts.get("jfr")).toAbsolutePath()
                + ",settings=profile,dumponexit=true");
      }
      command.addAll(List.of("-cp", classpath(), ExtProcBenchServer.class.getName()));
      Path log = Path.of(System.getProperty("java.io.tmpdir"), "aigw-extproc-bench-server.log");
      Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("READY ")) {
          progress("ExtProc server pid " + process.pid() + " on port " + line.substring(6));
          return new Server(process, out, in, Integer.parseInt(line.substring(6).trim()));
        }
      }
      throw new IllegalStateException("ExtProc server exited; see " + log);
    }

    /** Processor time per phase so far: name → {messages, nanos}. */
    Map<String, long[]> phases() throws IOException {
      in.write("metrics\n");
      in.flush();
      Map<String, long[]> phases = new HashMap<>();
      for (String line = out.readLine();
          line != null && !line.equals("END");
          line = out.readLine()) {
        String[] p = line.split(" ");
        if (p.length == 4 && p[0].equals("PHASE")) {
          phases.put(p[1], new long[] {Long.parseLong(p[2]), Long.parseLong(p[3])});
        } else if (p.length == 2 && p[0].equals("CPU")) {
          phases.put(CPU, new long[] {0, Long.parseLong(p[1])});
        }
      }
      return phases;
    }

    void stop() throws IOException, InterruptedException {
      in.close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroy();
      }
    }

    /** The classpath this harness runs with, also under exec:java (an isolated class loader). */
    private static String classpath() {
      if (ExtProcBenchmark.class.getClassLoader() instanceof URLClassLoader loader) {
        StringJoiner joined = new StringJoiner(java.io.File.pathSeparator);
        for (URL url : loader.getURLs()) {
          try {
            joined.add(Path.of(url.toURI()).toString());
          } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("classpath entry " + url, e);
          }
        }
        return joined.toString();
      }
      return System.getProperty("java.class.path");
    }
  }
}
