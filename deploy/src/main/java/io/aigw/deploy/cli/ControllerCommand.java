package io.aigw.deploy.cli;

import io.aigw.admin.server.AdminOptions;
import io.aigw.admin.server.AdminTokens;
import io.aigw.admin.tls.TlsFiles;
import io.aigw.admin.tls.TlsFilesException;
import io.aigw.deploy.apply.ApplierOptions;
import io.aigw.deploy.controller.ClusterClients;
import io.aigw.deploy.controller.ControllerAdminServer;
import io.aigw.deploy.controller.ControllerOptions;
import io.aigw.deploy.controller.KubernetesController;
import io.aigw.deploy.leader.LeaseElection;
import io.aigw.deploy.rotate.RotationEndpoints;
import io.aigw.deploy.settings.Settings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aigw controller}: the control plane in a cluster. */
@Command(
    name = "controller",
    description =
        "Watch the AI Gateway resources of a cluster into the event log and, on the replica that"
            + " holds the leader Lease, apply the resources Envoy Gateway needs and write the"
            + " status of every AI Gateway resource. Finds the cluster like kubectl: KUBECONFIG,"
            + " ~/.kube/config, else the pod's service account. The leader also rotates the"
            + " short-lived credentials of BackendSecurityPolicies into ai-eg-bsp-<policy>"
            + " Secrets. Serves the admin API, the dashboard, /healthz, /readyz, /status and"
            + " /metrics on the admin port. Runs until interrupted.")
public final class ControllerCommand implements Callable<Integer> {

  private static final Map<String, String> ENV = System.getenv();
  private static final Logger LOG = LoggerFactory.getLogger(ControllerCommand.class);

  /** The generated admin API tokens' file under the data directory. */
  static final String ADMIN_TOKENS = "admin-tokens";

  @Option(
      names = "--data",
      description = "Data directory for the event log (default: ${DEFAULT-VALUE})")
  Path data = Settings.DATA_DIR.from(ENV);

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      arity = "1..*",
      description = "Namespaces to watch and write (repeatable; default: all)")
  List<String> namespaces = new ArrayList<>();

  @Option(
      names = "--admin-port",
      description =
          "Port of the admin API, the dashboard, /healthz, /readyz, /status and /metrics"
              + " (default: ${DEFAULT-VALUE})")
  int adminPort = Settings.ADMIN_PORT.from(ENV);

  @ArgGroup(exclusive = false)
  AdminTlsFlags adminTls;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description =
          "Admin API tokens, one `role:token` per line (roles admin, read-only); default:"
              + " admin-tokens under --data, generated at first start")
  Path adminTokenFile;

  @Option(
      names = "--aws-sts-endpoint",
      paramLabel = "URL",
      description =
          "AWS STS endpoint for AssumeRoleWithWebIdentity, {region} replaced by the policy's"
              + " region (default: ${DEFAULT-VALUE})")
  String awsStsEndpoint = RotationEndpoints.PUBLIC_CLOUDS.awsSts();

  @Option(
      names = "--aws-sts-proxy",
      paramLabel = "URL",
      description =
          "HTTP proxy STS is reached through, http://[user:password@]host:port (default:"
              + " AI_GATEWAY_STS_PROXY_URL, as upstream names it; else none)")
  String awsStsProxy = ENV.get("AI_GATEWAY_STS_PROXY_URL");

  @Option(
      names = "--azure-login-endpoint",
      paramLabel = "URL",
      description =
          "Microsoft Entra ID authority; /<tenant>/oauth2/v2.0/token is appended"
              + " (default: ${DEFAULT-VALUE})")
  String azureLoginEndpoint = RotationEndpoints.PUBLIC_CLOUDS.azureLogin();

  @Option(
      names = "--gcp-sts-endpoint",
      paramLabel = "URL",
      description = "Google STS token URL for workload identity (default: ${DEFAULT-VALUE})")
  String gcpStsEndpoint = RotationEndpoints.PUBLIC_CLOUDS.gcpSts();

  @Option(
      names = "--gcp-iam-credentials-endpoint",
      paramLabel = "URL",
      description =
          "Google IAM Service Account Credentials API, for workload identity that impersonates a"
              + " service account (default: ${DEFAULT-VALUE})")
  String gcpIamCredentialsEndpoint = RotationEndpoints.PUBLIC_CLOUDS.gcpIamCredentials();

  @Option(
      names = "--lease-namespace",
      description = "Namespace of the leader Lease (default: $POD_NAMESPACE, else the client's)")
  String leaseNamespace;

  @Option(
      names = "--lease-name",
      description = "Name of the leader Lease (default: ${DEFAULT-VALUE})")
  String leaseName = LeaseElection.DEFAULT_NAME;

  @Option(
      names = "--identity",
      description = "This replica's name in the Lease (default: $POD_NAME, else $HOSTNAME)")
  String identity;

  @Option(
      names = "--drift-check-seconds",
      description =
          "Seconds between comparisons of live and desired objects, 0 for never"
              + " (default: ${DEFAULT-VALUE})")
  long driftCheckSeconds = 300;

  @Mixin KafkaLogFlags kafka = new KafkaLogFlags();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = CommandVertx.create();
    Optional<TlsFiles> tls = AdminTlsFlags.files(adminTls);
    try {
      // before the replay, which may take minutes: a typo in a path is said at once
      if (tls.isPresent()) {
        tls.get().read(vertx);
      }
    } catch (TlsFilesException e) {
      // names the option and the file: one line, not a stack trace
      refuse("aigw controller: " + e.getMessage());
      vertx.close().await(5, TimeUnit.SECONDS);
      return 1;
    }
    KubernetesClient client = ClusterClients.fromEnvironment(vertx);
    ControllerOptions options = options(client);
    // the admin port (and its probes) opens while the log replays: minutes for a long one
    KubernetesController controller = KubernetesController.open(vertx, client, options).await();
    ControllerAdminServer admin;
    try {
      admin =
          ControllerAdminServer.start(
                  vertx, controller, new AdminOptions("0.0.0.0", adminPort, adminTokens(), tls))
              .await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // a port taken, TLS files changed since they were read: one line, and nothing left open
      refuse("aigw controller: the admin port cannot start: " + e.getMessage());
      controller.close().await(15, TimeUnit.SECONDS);
      client.close();
      vertx.close().await(5, TimeUnit.SECONDS);
      return 1;
    }
    AtomicBoolean stopping = new AtomicBoolean();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.set(true);
                  try {
                    // step by step from this thread: a future chained on an event loop would
                    // complete on a loop that closing Vert.x has just stopped
                    // the admin server follows the log: stop it before the log closes
                    admin.close().await(5, TimeUnit.SECONDS);
                    controller.close().await(15, TimeUnit.SECONDS);
                    client.close();
                    vertx.close().await(5, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    System.err.println("aigw: shutdown did not finish cleanly: " + e);
                  }
                  stopped.countDown();
                },
                "aigw-shutdown"));
    // no deadline: /healthz answers meanwhile, and /readyz says when the informers have synced
    try {
      controller.replayed().await();
    } catch (Exception e) {
      if (!stopping.get()) {
        // the shutdown hook closes what is open as the process exits
        refuse("aigw controller: the log could not be replayed: " + e.getMessage());
        return 1;
      }
      // stopped during the replay: the hook is closing everything
    }
    stopped.await();
    return 0;
  }

  /** Says why the controller does not start or go on: one line, not a stack trace. */
  private void refuse(String reason) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(reason);
    err.flush();
  }

  /**
   * The token file, else one under the data directory, generated at first start: a controller's
   * standard output is its pod log, which more people may read than may use the admin API.
   */
  private AdminTokens adminTokens() throws IOException {
    if (adminTokenFile != null) {
      return AdminTokens.load(adminTokenFile);
    }
    Path file = data.resolve(ADMIN_TOKENS);
    Files.createDirectories(data);
    AdminTokens tokens = AdminTokens.loadOrCreate(file, new SecureRandom());
    LOG.atInfo()
        .addKeyValue("file", file)
        .log("admin API tokens in {} (no --admin-token-file); read them from the pod", file);
    return tokens;
  }

  /**
   * @throws IllegalArgumentException when the STS proxy is not an {@code http://host:port} URL: at
   *     start, rather than at every rotation
   */
  private RotationEndpoints rotationEndpoints() {
    RotationEndpoints endpoints =
        new RotationEndpoints(
            awsStsEndpoint,
            azureLoginEndpoint,
            gcpStsEndpoint,
            gcpIamCredentialsEndpoint,
            Optional.ofNullable(awsStsProxy).filter(url -> !url.isBlank()));
    endpoints.awsStsProxyOptions();
    return endpoints;
  }

  ControllerOptions options(KubernetesClient client) {
    String source = ClusterClients.source(client);
    String leaseNs =
        Optional.ofNullable(leaseNamespace)
            .or(() -> Optional.ofNullable(ENV.get("POD_NAMESPACE")))
            .or(() -> Optional.ofNullable(client.getNamespace()))
            .orElse("default");
    String me =
        Optional.ofNullable(identity)
            .or(() -> Optional.ofNullable(ENV.get("POD_NAME")))
            .or(() -> Optional.ofNullable(ENV.get("HOSTNAME")))
            .orElseGet(() -> "aigw-" + UUID.randomUUID());
    return new ControllerOptions(
        data,
        Settings.LOG_FSYNC.from(ENV),
        Settings.extProc(ENV),
        LeaseElection.Options.of(leaseNs, leaseName, me),
        ApplierOptions.defaults(source)
            .withNamespaces(namespaces)
            .withDriftInterval(Duration.ofSeconds(driftCheckSeconds)),
        Duration.ofSeconds(10),
        rotationEndpoints(),
        kafka.options());
  }
}
