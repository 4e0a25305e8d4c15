package io.aigw.deploy.settings;

import io.aigw.core.filterconfig.ApiPaths;
import io.aigw.core.log.kafka.KafkaLogOptions;
import io.aigw.core.model.gateway.Deployment;
import io.aigw.core.model.validation.AiResourceValidator;
import io.aigw.extproc.metrics.ExtProcMetrics;
import io.aigw.extproc.processor.HeaderAttributes;
import io.aigw.extproc.processor.ServedPaths;
import io.aigw.projections.desired.ExtProcResources;
import io.aigw.projections.desired.ExtProcSettings;
import io.aigw.projections.runtime.HostOptions;
import io.aigw.projections.snapshot.SnapshotPolicy;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The typed registry of every {@code AIGW_*} environment setting. */
public final class Settings {

  public static final Setting<Path> DATA_DIR =
      new Setting<>("AIGW_DATA_DIR", Path::of, Path.of("data"), "Directory of the event log.");
  public static final Setting<Integer> EXTPROC_PORT =
      new Setting<>("AIGW_EXTPROC_PORT", Settings::port, 1063, "ExtProc gRPC port.");
  public static final Setting<Integer> ADMIN_PORT =
      new Setting<>("AIGW_ADMIN_PORT", Settings::port, 8080, "Admin API and dashboard port.");
  public static final Setting<Integer> SNAPSHOT_EVERY =
      new Setting<>(
          "AIGW_SNAPSHOT_EVERY",
          Settings::positive,
          (int) SnapshotPolicy.DEFAULT.interval(),
          "Keep a projection snapshot every N log entries (fewer when the heap runs short).");
  public static final Setting<Boolean> LOG_FSYNC =
      new Setting<>(
          "AIGW_LOG_FSYNC",
          Settings::bool,
          true,
          "fsync every group commit of the event log (turn off only for throwaway data).");
  public static final Setting<String> EXTPROC_IMAGE =
      new Setting<>(
          "AIGW_EXTPROC_IMAGE",
          s -> s,
          "ghcr.io/aigw/aigw:0.1.0",
          "Image of the generated ExtProc Deployments.");
  public static final Setting<String> EXTPROC_IMAGE_PULL_POLICY =
      new Setting<>(
          "AIGW_EXTPROC_IMAGE_PULL_POLICY",
          Settings::pullPolicy,
          "IfNotPresent",
          "Pull policy of the ExtProc image (Always, IfNotPresent, Never); Always when a tag is"
              + " pushed again, as a rebuilt snapshot is.");
  public static final Setting<Optional<String>> EXTPROC_CPU =
      new Setting<>(
          "AIGW_EXTPROC_CPU",
          raw -> Optional.of(ExtProcResources.canonicalCpu(raw)),
          Optional.empty(),
          "CPU request and limit of each ExtProc container (2, 1.5, 500m); unset sets none.");
  public static final Setting<Optional<String>> EXTPROC_MEMORY =
      new Setting<>(
          "AIGW_EXTPROC_MEMORY",
          raw -> Optional.of(ExtProcResources.canonicalMemory(raw)),
          Optional.empty(),
          "Memory request and limit of each ExtProc container (512Mi, 1Gi); unset sets none.");
  public static final Setting<Integer> EXTPROC_BUSY_POLL =
      new Setting<>(
          "AIGW_EXTPROC_BUSY_POLL",
          raw -> ExtProcSettings.busyPollWindow(Long.parseLong(raw)),
          0,
          "Microseconds each ExtProc's event loops poll for I/O before they sleep (aigw extproc"
              + " --busy-poll); 0 sleeps at once.");

  public static final Setting<String> EXTPROC_SERVICE_ACCOUNT =
      new Setting<>(
          "AIGW_EXTPROC_SERVICE_ACCOUNT",
          Settings::serviceAccountName,
          "",
          "ServiceAccount the ExtProc pods run as, in each route's namespace (its IRSA or EKS Pod"
              + " Identity role signs Bedrock requests of policies without credentials); unset"
              + " keeps the namespace's default.");

  public static final Setting<List<String>> EXTPROC_IMAGE_PULL_SECRETS =
      new Setting<>(
          "AIGW_EXTPROC_IMAGE_PULL_SECRETS",
          Settings::secretNames,
          List.of(),
          "Secrets the ExtProc pods pull their image with (a private registry), comma-separated,"
              + " in each route's namespace; unset sets none.");

  public static final Setting<List<Deployment.EnvVar>> EXTPROC_ENV =
      new Setting<>(
          "AIGW_EXTPROC_ENV",
          ExtProcEnvironment::literal,
          List.of(),
          "Variables of each ExtProc container, NAME=value;NAME=value (OTEL_EXPORTER_OTLP_ENDPOINT"
              + " to trace requests, say); the Deployment, and so the dashboard, shows them.",
          false);

  public static final Setting<List<Deployment.EnvVar>> EXTPROC_SECRET_ENV =
      new Setting<>(
          "AIGW_EXTPROC_SECRET_ENV",
          ExtProcEnvironment::fromSecrets,
          List.of(),
          "Variables of each ExtProc container read from a Secret in the route's namespace,"
              + " NAME=secret/key;… (OTEL_EXPORTER_OTLP_HEADERS holding a collector's token, say).",
          false);

  public static final Setting<HeaderAttributes> SPAN_REQUEST_HEADER_ATTRIBUTES =
      new Setting<>(
          "AIGW_SPAN_REQUEST_HEADER_ATTRIBUTES",
          HeaderAttributes::parse,
          HeaderAttributes.parse(HeaderAttributes.DEFAULT),
          "Request headers an ExtProc records on each request's span when tracing is on,"
              + " header:attribute,... (aigw extproc and aigw run --span-request-header-attributes;"
              + " in a cluster, give it to the ExtProcs in AIGW_EXTPROC_ENV).");

  public static final Setting<HeaderAttributes> METRICS_REQUEST_HEADER_ATTRIBUTES =
      new Setting<>(
          "AIGW_METRICS_REQUEST_HEADER_ATTRIBUTES",
          raw -> {
            HeaderAttributes labels = HeaderAttributes.parse(raw);
            ExtProcMetrics.checkHeaderLabels(labels);
            return labels;
          },
          HeaderAttributes.parse("none"),
          "Request headers an ExtProc labels each request's metrics with, header:label,... (aigw"
              + " extproc and aigw run --metrics-request-header-attributes; in a cluster, give it to"
              + " the ExtProcs in AIGW_EXTPROC_ENV).");

  public static final Setting<String> ROOT_PREFIX =
      new Setting<>(
          "AIGW_ROOT_PREFIX",
          raw -> ApiPaths.cleanPrefix("rootPrefix", raw),
          "/",
          "Path prefix the gateway serves every API under (upstream's -rootPrefix): /ai serves"
              + " /ai/v1/chat/completions and /ai/anthropic/v1/messages; the generated HTTPRoutes"
              + " answer 404 only under it.");

  public static final Setting<Map<String, String>> ENDPOINT_PREFIXES =
      new Setting<>(
          "AIGW_ENDPOINT_PREFIXES",
          raw -> {
            Map<String, String> prefixes = ApiPaths.parseEndpointPrefixes(raw);
            // refused here, or every ExtProc would refuse its config; the root changes no collision
            ServedPaths.of(new ApiPaths("/", prefixes));
            return prefixes;
          },
          Map.of(),
          "Prefix of each API family under the root, family:prefix,... (upstream's"
              + " -endpointPrefixes; default openai:/,cohere:/cohere,anthropic:/anthropic); a"
              + " family not named keeps its default.");

  public static final Setting<Optional<String>> KAFKA_BOOTSTRAP =
      new Setting<>(
          "AIGW_KAFKA_BOOTSTRAP",
          Optional::of,
          Optional.empty(),
          "Kafka bootstrap servers (host:port,…) of aigw controller's event log; unset keeps the"
              + " log under the data directory.");
  public static final Setting<String> KAFKA_TOPIC =
      new Setting<>(
          "AIGW_KAFKA_TOPIC",
          s -> s,
          KafkaLogOptions.DEFAULT_TOPIC,
          "Kafka topic of aigw controller's event log (one partition; created when missing).");

  public static final List<Setting<?>> ALL =
      List.of(
          DATA_DIR,
          EXTPROC_PORT,
          ADMIN_PORT,
          SNAPSHOT_EVERY,
          LOG_FSYNC,
          EXTPROC_IMAGE,
          EXTPROC_IMAGE_PULL_POLICY,
          EXTPROC_CPU,
          EXTPROC_MEMORY,
          EXTPROC_BUSY_POLL,
          EXTPROC_SERVICE_ACCOUNT,
          EXTPROC_IMAGE_PULL_SECRETS,
          EXTPROC_ENV,
          EXTPROC_SECRET_ENV,
          SPAN_REQUEST_HEADER_ATTRIBUTES,
          METRICS_REQUEST_HEADER_ATTRIBUTES,
          ROOT_PREFIX,
          ENDPOINT_PREFIXES,
          KAFKA_BOOTSTRAP,
          KAFKA_TOPIC);

  private Settings() {}

  /**
   * The first setting in {@code env} whose value does not parse, as "{@code NAME=value: reason}".
   * The commands check this before they start, so a bad value is one line, not a stack trace.
   */
  public static Optional<String> firstProblem(Map<String, String> env) {
    try {
      for (Setting<?> setting : ALL) {
        setting.from(env);
      }
      // the settings that must agree with each other
      extProc(env);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * How the generated ExtProc Deployments run: image, CPU, memory and busy polling from {@code
   * env}.
   */
  public static ExtProcSettings extProc(Map<String, String> env) {
    Optional<String> cpu = EXTPROC_CPU.from(env);
    int busyPoll = EXTPROC_BUSY_POLL.from(env);
    // the ExtProc runs a loop per CPU it sees, less one: without a limit, per CPU of the node
    if (busyPoll > 0 && cpu.isEmpty()) {
      throw new IllegalArgumentException(
          EXTPROC_BUSY_POLL.name()
              + "="
              + busyPoll
              + ": needs "
              + EXTPROC_CPU.name()
              + ", or each ExtProc would poll with an event loop per CPU of its node");
    }
    return new ExtProcSettings(
        EXTPROC_IMAGE.from(env),
        EXTPROC_IMAGE_PULL_POLICY.from(env),
        "info",
        new ExtProcResources(cpu, EXTPROC_MEMORY.from(env)),
        busyPoll,
        EXTPROC_SERVICE_ACCOUNT.from(env),
        EXTPROC_IMAGE_PULL_SECRETS.from(env),
        ExtProcEnvironment.combined(
            extProcSettings(EXTPROC_ENV.from(env)), EXTPROC_SECRET_ENV.from(env)),
        apiPaths(env));
  }

  /**
   * Where the ExtProcs serve the APIs: {@link #ROOT_PREFIX} before each family's {@link
   * #ENDPOINT_PREFIXES}.
   */
  public static ApiPaths apiPaths(Map<String, String> env) {
    return new ApiPaths(ROOT_PREFIX.from(env), ENDPOINT_PREFIXES.from(env));
  }

  /**
   * {@code vars}, once each {@code AIGW_*} one among them (the ExtProcs' own settings) parses: an
   * ExtProc refuses to start on one that does not, so the controller refuses it first.
   */
  private static List<Deployment.EnvVar> extProcSettings(List<Deployment.EnvVar> vars) {
    Map<String, String> own = new java.util.HashMap<>();
    for (Deployment.EnvVar var : vars) {
      if (var.name().startsWith("AIGW_") && var.value() != null) {
        own.put(var.name(), var.value());
      }
    }
    for (Setting<?> setting : ALL) {
      try {
        setting.from(own);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(EXTPROC_ENV.name() + ": " + e.getMessage(), e);
      }
    }
    return vars;
  }

  /** One of Kubernetes' pull policies, spelled as the API server takes them. */
  private static String pullPolicy(String raw) {
    if (!List.of("Always", "IfNotPresent", "Never").contains(raw)) {
      throw new IllegalArgumentException("not a pull policy (Always, IfNotPresent, Never): " + raw);
    }
    return raw;
  }

  /** Secret names, comma-separated: each a DNS subdomain (RFC 1123), as the API server checks. */
  private static List<String> secretNames(String raw) {
    // a name given twice would be two items of the same key, which server-side apply refuses
    Set<String> names = new LinkedHashSet<>();
    for (String name : raw.split(",", -1)) {
      String trimmed = name.strip();
      if (!AiResourceValidator.isSubdomain(trimmed)) {
        throw new IllegalArgumentException(
            "not a Secret name (lower-case letters, digits, '-' and '.'): '" + trimmed + "'");
      }
      names.add(trimmed);
    }
    return List.copyOf(names);
  }

  /** A ServiceAccount's name: a DNS subdomain (RFC 1123), as the API server checks it. */
  private static String serviceAccountName(String raw) {
    if (!AiResourceValidator.isSubdomain(raw)) {
      throw new IllegalArgumentException(
          "not a ServiceAccount name (lower-case letters, digits, '-' and '.'): " + raw);
    }
    return raw;
  }

  /** How the gateway projection's host runs: snapshots every {@link #SNAPSHOT_EVERY} entries. */
  public static HostOptions gatewayHost(Map<String, String> env) {
    return HostOptions.named("gateway")
        .withSnapshots(SnapshotPolicy.DEFAULT.withInterval(SNAPSHOT_EVERY.from(env)));
  }

  static int port(String raw) {
    int port = Integer.parseInt(raw);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("not a port: " + port);
    }
    return port;
  }

  static int positive(String raw) {
    int value = Integer.parseInt(raw);
    if (value < 1) {
      throw new IllegalArgumentException("must be at least 1");
    }
    return value;
  }

  static boolean bool(String raw) {
    return switch (raw.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException("not a boolean");
    };
  }
}
