package io.aigw.e2e.admin;

import io.aigw.admin.server.AdminOptions;
import io.aigw.admin.server.AdminServer;
import io.aigw.admin.server.AdminSources;
import io.aigw.admin.server.AdminTokens;
import io.aigw.admin.server.Role;
import io.aigw.deploy.restore.DirectoryRestoreTarget;
import io.aigw.deploy.run.StandaloneGateway;
import io.aigw.deploy.run.StandaloneOptions;
import io.aigw.projections.desired.ExtProcSettings;
import io.aigw.projections.gateway.GatewayProjection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * {@code aigw run} on a temporary directory (the bundled Gateway and OpenAI examples, the OpenAI
 * Secret holding {@link #secretValue}) with the admin server on a free port, wired the way the
 * launcher wires it: the gateway's log and projection host, a projection with the same settings for
 * shadow replays, the directory restore target and the ExtProc metrics.
 */
final class AdminGatewayHarness implements AutoCloseable {

  static final String ADMIN = "e2e-admin-token-7f3a9c2e51";
  static final String READER = "e2e-reader-token-4b8d0e6a27";
  static final Path EXAMPLES = Path.of(System.getProperty("aigw.root", "..")).resolve("examples");

  final Path dir;
  final Path data;
  final String secretValue;
  final Vertx vertx = Vertx.vertx();
  StandaloneGateway gateway;
  AdminServer admin;

  AdminGatewayHarness(Path dir, Path data, String secretValue) {
    this.dir = dir;
    this.data = data;
    this.secretValue = secretValue;
  }

  AdminGatewayHarness start() throws IOException {
    Files.copy(EXAMPLES.resolve("gateway.yaml"), dir.resolve("gateway.yaml"));
    String openai = Files.readString(EXAMPLES.resolve("openai.yaml"));
    if (!openai.contains("sk-replace-me")) {
      throw new IllegalStateException("the OpenAI example no longer has its placeholder key");
    }
    Files.writeString(dir.resolve("openai.yaml"), openai.replace("sk-replace-me", secretValue));
    String image = ExtProcSettings.DEFAULT_IMAGE;
    gateway =
        await(
            StandaloneGateway.start(
                vertx,
                new StandaloneOptions(
                    dir, data, 0, 0, false, new ExtProcSettings(image, "IfNotPresent", "info"))));
    await(gateway.ready());
    admin =
        await(
            AdminServer.start(
                vertx,
                new AdminOptions(
                    "127.0.0.1",
                    0,
                    AdminTokens.of(Map.of(ADMIN, Role.ADMIN, READER, Role.READ_ONLY))),
                new AdminSources(
                    gateway.log(),
                    gateway.host(),
                    new GatewayProjection(new ExtProcSettings(image, "IfNotPresent", "info")),
                    new DirectoryRestoreTarget(dir),
                    gateway.metrics()::scrape)));
    awaitIndexed();
    return this;
  }

  /** Waits until the projection and the admin index hold everything the log has. */
  void awaitIndexed() {
    Awaitility.await()
        .atMost(20, TimeUnit.SECONDS)
        .until(
            () -> {
              long latest = gateway.log().latestSeq();
              return gateway.host().currentSeq() >= latest && admin.index().latestSeq() >= latest;
            });
  }

  String baseUrl() {
    return "http://127.0.0.1:" + admin.port();
  }

  static <T> T await(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().orTimeout(60, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    if (admin != null) {
      await(admin.close());
    }
    if (gateway != null) {
      await(gateway.close());
    }
    await(vertx.close());
  }
}
