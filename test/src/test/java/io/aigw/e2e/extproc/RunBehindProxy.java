package io.aigw.e2e.extproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.deploy.cli.AigwCommand;
import io.aigw.deploy.run.StandaloneGateway;
import io.aigw.deploy.run.StandaloneOptions;
import io.aigw.extproc.envoy.EnvoyBootstrap;
import io.aigw.projections.desired.ExtProcSettings;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * {@code aigw run} on a directory, behind the Envoy-like proxy routing by the bootstrap {@code aigw
 * envoy-bootstrap} prints for that directory: the way a user tries aigw on one machine.
 */
record RunBehindProxy(StandaloneGateway gateway, EnvoyLikeProxy proxy) {

  static RunBehindProxy start(Vertx vertx, Path dir, Path data) throws Exception {
    return start(vertx, dir, data, ExtProcSettings.DEFAULT);
  }

  /** {@code aigw run} with {@code settings} (its {@code AIGW_*} settings). */
  static RunBehindProxy start(Vertx vertx, Path dir, Path data, ExtProcSettings settings)
      throws Exception {
    StandaloneGateway gateway =
        StandaloneGateway.start(vertx, new StandaloneOptions(dir, data, 0, 0, false, settings))
            .await(30, TimeUnit.SECONDS);
    gateway.ready().await(30, TimeUnit.SECONDS);
    int extProcPort = gateway.extProc().port();
    EnvoyLikeProxy proxy =
        new EnvoyLikeProxy(vertx, extProcPort)
            .routes(EnvoyBootstrap.parse(bootstrap(dir, extProcPort)))
            .start()
            .await();
    return new RunBehindProxy(gateway, proxy);
  }

  /** What {@code aigw envoy-bootstrap DIR --extproc-port PORT} prints. */
  private static String bootstrap(Path dir, int extProcPort) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new AigwCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(
                "envoy-bootstrap", dir.toString(), "--extproc-port", Integer.toString(extProcPort));
    assertThat(exit).as(err.toString()).isZero();
    return out.toString();
  }

  /**
   * The manifests of an OpenAI backend {@code name} in {@code default} on loopback {@code port}:
   * its AIServiceBackend and the Envoy Gateway Backend with the address, opening with {@code ---}
   * to follow a route's documents.
   */
  static String openAiBackend(String name, int port) {
    return """
        ---
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIServiceBackend
        metadata: {name: %1$s, namespace: default}
        spec:
          schema: {name: OpenAI}
          backendRef: {name: %1$s, kind: Backend, group: gateway.envoyproxy.io}
        ---
        apiVersion: gateway.envoyproxy.io/v1alpha1
        kind: Backend
        metadata: {name: %1$s, namespace: default}
        spec:
          endpoints: [{ip: {address: 127.0.0.1, port: %2$d}}]
        """
        .formatted(name, port);
  }

  void close() throws Exception {
    gateway.close().await(10, TimeUnit.SECONDS);
  }
}
