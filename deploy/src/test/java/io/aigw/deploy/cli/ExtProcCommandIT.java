package io.aigw.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigw.core.codec.YamlDocuments;
import io.aigw.deploy.ExtProcWire;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.transport.Transport;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code aigw extproc --config FILE} on real sockets, fed the filter config the projections produce
 * for {@code examples/openai.yaml} (the ConfigMap's {@code extproc-config.yaml} from {@code aigw
 * translate}), as the kubelet would project it.
 */
class ExtProcCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ServiceMethod<Buffer, Buffer> HEALTH =
      ServiceMethod.client(
          ServiceName.create("grpc.health.v1.Health"),
          "Check",
          GrpcMessageEncoder.IDENTITY,
          GrpcMessageDecoder.IDENTITY);

  /** Free ports, learnt once it serves; on this machine only. */
  private static final List<String> PORTS_OF_ITS_CHOOSING =
      List.of("--port", "0", "--admin-port", "0", "--host", "127.0.0.1");

  @TempDir Path dir;
  private Vertx vertx;
  private GrpcClient grpc;
  private HttpClient http;
  private ExtProcCommand command;
  private CompletableFuture<Integer> exit;
  private int port;
  private int adminPort;

  @BeforeEach
  void clients() {
    vertx = Vertx.vertx();
    grpc = GrpcClient.client(vertx);
    http = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    if (command != null) {
      command.stop();
      assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    }
    grpc.close().await();
    http.close().await();
    vertx.close().await();
  }

  @Test
  void servesTheTranslatedConfigReloadsAChangeAndKeepsTheLastGoodConfigWhenTheFileBreaks()
      throws Exception {
    Path config = dir.resolve("extproc-config.yaml");
    write(config, translatedConfig("gpt-4o-mini"));
    start(config);
    // the admin port opens after the first config is in service: wait for both
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(() -> health().equals("SERVING") && adminGet("/readyz").equals("200 ready\n"));
    assertThat(models()).containsExactly("gpt-4o-mini", "gpt-4o");
    String firstDigest = configStatus().path("appliedDigest").asText();

    // the kubelet updates the ConfigMap volume: a new model
    write(config, translatedConfig("gpt-4.1-nano"));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(() -> models().contains("gpt-4.1-nano"));
    assertThat(models()).containsExactly("gpt-4.1-nano", "gpt-4o");
    String secondDigest = configStatus().path("appliedDigest").asText();
    assertThat(secondDigest).isNotEqualTo(firstDigest);

    // a broken file: refused with the reason, the last good config stays in service
    write(config, "backends: [ {name: broken\n");
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !configStatus().path("problems").isEmpty());
    assertThat(configStatus().path("problems").get(0).asText()).contains("line");
    assertThat(configStatus().path("appliedDigest").asText()).isEqualTo(secondDigest);
    assertThat(models()).containsExactly("gpt-4.1-nano", "gpt-4o");
    assertThat(health()).isEqualTo("SERVING");
    assertThat(adminGet("/readyz")).startsWith("200");

    // a config that parses but names a backend that does not exist: refused as a whole
    write(
        config,
        translatedConfig("gpt-4o-mini").replace("backend: openai.default", "backend: gone.x"));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(() -> configStatus().path("problems").toString().contains("gone.x"));
    assertThat(models()).containsExactly("gpt-4.1-nano", "gpt-4o");
    assertThat(adminGet("/metrics")).startsWith("200");
  }

  @Test
  void withoutAConfigFileHealthIsNotServingUntilOneAppears() throws Exception {
    Path config = dir.resolve("later.yaml");
    start(config);
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(() -> adminGet("/healthz").startsWith("200"));
    assertThat(health()).isEqualTo("NOT_SERVING");
    assertThat(adminGet("/readyz")).startsWith("503");
    assertThat(configStatus().path("problems").get(0).asText()).startsWith("unreadable");

    write(config, translatedConfig("gpt-4o-mini"));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(() -> health().equals("SERVING"));
    assertThat(adminGet("/readyz")).startsWith("200");
    assertThat(models()).contains("gpt-4o-mini");
  }

  @Test
  void busyPollingEventLoopsServeAndReloadAsSleepingOnesDo() throws Exception {
    Path config = dir.resolve("extproc-config.yaml");
    write(config, translatedConfig("gpt-4o-mini"));
    start(config, "--busy-poll", "500");
    if (!Transport.EPOLL.available()) {
      assertThat(exit.get(30, TimeUnit.SECONDS)).as("refused where epoll is missing").isEqualTo(2);
      command = null;
      return;
    }
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(() -> health().equals("SERVING") && adminGet("/readyz").equals("200 ready\n"));
    assertThat(models()).containsExactly("gpt-4o-mini", "gpt-4o");

    // the file is re-read on a timer of a polling loop
    write(config, translatedConfig("gpt-4.1-nano"));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(() -> models().contains("gpt-4.1-nano"));
  }

  @Test
  void aStopSignalMakesItUnreadyServingOnForTheDelayThenItDrainsBeforeTheJvmExits()
      throws Exception {
    Path config = dir.resolve("extproc-config.yaml");
    write(config, translatedConfig("gpt-4o-mini"));
    Path output = dir.resolve("extproc.log");
    // its own JVM: the stop signal runs the shutdown hooks, after which the JVM halts
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.aigw.deploy.cli.AigwCommand",
                "extproc",
                "--config",
                config.toString()));
    command.addAll(PORTS_OF_ITS_CHOOSING);
    command.addAll(List.of("--shutdown-delay", "3"));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(output).contains("aigw extproc started"));
      String started = Files.readString(output);
      port = Integer.parseInt(started.replaceAll("(?s).* port=(\\d+).*", "$1"));
      adminPort = Integer.parseInt(started.replaceAll("(?s).*adminPort=(\\d+).*", "$1"));
      await().atMost(Duration.ofSeconds(10)).until(() -> adminGet("/readyz").startsWith("200"));

      process.destroy();

      await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> adminGet("/readyz").equals("503 shutting down\n"));
      // unready to both kinds of probe, it serves on while Envoy learns it is going
      assertThat(health()).isEqualTo("NOT_SERVING");
      assertThat(models()).contains("gpt-4o-mini");
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(output);
      // the main thread closed everything before the JVM halted
      assertThat(log.indexOf("aigw extproc stopped"))
          .isGreaterThan(log.indexOf("not ready, serving 3 s more"))
          .isPositive();
    } finally {
      process.destroyForcibly();
    }
  }

  /** The ConfigMap's extproc-config.yaml that aigw translate gives for examples/openai.yaml. */
  private String translatedConfig(String firstModel) throws Exception {
    Path manifest = dir.resolve("openai-" + firstModel + ".yaml");
    String example = Files.readString(Fixtures.examples().resolve("openai.yaml"));
    Files.writeString(manifest, example.replace("gpt-4o-mini", firstModel));
    CliRun run = CliRun.of("translate", manifest.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    for (YamlDocuments.Document document : YamlDocuments.parse(run.out())) {
      JsonNode node = document.node();
      if (node.path("kind").asText().equals("ConfigMap")) {
        return node.at("/data/extproc-config.yaml").asText();
      }
    }
    throw new AssertionError("no ConfigMap in\n" + run.out());
  }

  /**
   * Starts the command on ports of its choosing and learns them once it serves, or returns when it
   * exits first (a refused flag).
   */
  private void start(Path config, String... moreArgs) throws Exception {
    command = new ExtProcCommand();
    CommandLine line = new CommandLine(command);
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(PORTS_OF_ITS_CHOOSING);
    all.addAll(List.of("--reload-interval-ms", "100", "--event-loops", "1"));
    all.addAll(List.of(moreArgs));
    exit = CompletableFuture.supplyAsync(() -> line.execute(all.toArray(String[]::new)));
    CompletableFuture.anyOf(command.started, exit).get(60, TimeUnit.SECONDS);
    if (command.started.isDone()) {
      port = command.started.get().server().port();
      adminPort = command.started.get().admin().actualPort();
    }
  }

  /**
   * Replaces the watched file in one step, as the kubelet swaps a ConfigMap volume: a file
   * truncated and then written could be read empty in between.
   */
  private void write(Path config, String text) throws IOException {
    Path next = Files.writeString(dir.resolve(config.getFileName() + ".next"), text);
    Files.move(next, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private String health() {
    try {
      Buffer answer =
          grpc.request(SocketAddress.inetSocketAddress(port, "127.0.0.1"), HEALTH)
              .compose(request -> request.send(Buffer.buffer()))
              .compose(response -> response.last())
              .await(5, TimeUnit.SECONDS);
      return answer.getByte(1) == 1 ? "SERVING" : "NOT_SERVING";
    } catch (Exception e) {
      return "unreachable: " + e;
    }
  }

  /** The model ids the ExtProc answers {@code GET /v1/models} with. */
  private List<String> models() throws Exception {
    ProcessingRequest request =
        ExtProcWire.requestHeaders(
            Map.of(":method", "GET", ":path", "/v1/models", ":authority", "gateway.local"), true);
    ProcessingResponse response =
        grpc.request(SocketAddress.inetSocketAddress(port, "127.0.0.1"), ExtProcWire.PROCESS)
            .compose(call -> call.end(request).compose(v -> call.response()))
            .compose(answer -> answer.last())
            .await(5, TimeUnit.SECONDS);
    JsonNode body = JSON.readTree(response.getImmediateResponse().getBody().toStringUtf8());
    List<String> ids = new ArrayList<>();
    body.path("data").forEach(model -> ids.add(model.path("id").asText()));
    return ids;
  }

  private String adminGet(String path) {
    try {
      return http.request(HttpMethod.GET, adminPort, "127.0.0.1", path)
          .compose(
              request ->
                  request
                      .send()
                      .compose(
                          response ->
                              response
                                  .body()
                                  .map(body -> response.statusCode() + " " + body.toString())))
          .await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return "unreachable: " + e;
    }
  }

  private JsonNode configStatus() throws Exception {
    String answer = adminGet("/config");
    assertThat(answer).startsWith("200 ");
    return JSON.readTree(answer.substring(4));
  }
}
