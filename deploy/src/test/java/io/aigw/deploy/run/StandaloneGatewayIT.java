package io.aigw.deploy.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import io.aigw.deploy.ExtProcWire;
import io.aigw.projections.desired.ExtProcSettings;
import io.aigw.projections.gateway.GatewayState;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aigw run} end to end on real files: add, change, break, fix, delete, restart. */
class StandaloneGatewayIT {

  /** Local, not Awaitility's default: that one is global and would leak into other ITs. */
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final Path EXAMPLES =
      Path.of(System.getProperty("aigw.root", "..")).resolve("examples");
  private static final ObjectKey OPENAI_CONFIG =
      new ObjectKey("", "ConfigMap", "default", "ai-eg-route-extproc-openai");
  private static final ObjectKey AZURE_ROUTE =
      new ObjectKey("gateway.networking.k8s.io", "HTTPRoute", "default", "azure-openai");

  @TempDir Path dir;
  @TempDir Path data;
  private Vertx vertx;
  private StandaloneGateway gateway;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void followsTheDirectoryThroughAddChangeBreakFixAndDelete() throws Exception {
    Files.copy(EXAMPLES.resolve("openai.yaml"), dir.resolve("openai.yaml"));
    start();
    GatewayState first = state();
    assertThat(first.desired()).containsKey(OPENAI_CONFIG);
    assertThat(first.desired()).hasSize(7);
    assertThat(gateway.extProc().routingTable().routes()).hasSize(1);
    // the route's models are dated by when the file's route first appeared, not the epoch
    String created = creationTimestamp(lastWatchEvent("AIGatewayRoute"));
    assertThat(created).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    assertThat(configText()).contains(created).doesNotContain("1970-01-01T00:00:00Z");

    // add
    Files.copy(EXAMPLES.resolve("azure-openai.yaml"), dir.resolve("azure-openai.yaml"));
    await().atMost(WAIT).until(() -> state().desired().containsKey(AZURE_ROUTE));
    assertThat(state().desired()).hasSize(14);
    await().atMost(WAIT).until(() -> gateway.extProc().routingTable().routes().size() == 2);

    // change: a new model on the OpenAI route
    String openai = Files.readString(dir.resolve("openai.yaml"));
    String changed = openai.replace("gpt-4o-mini", "gpt-4.1-nano");
    assertThat(changed).isNotEqualTo(openai);
    long beforeChange = gateway.log().latestSeq();
    Files.writeString(dir.resolve("openai.yaml"), changed);
    await().atMost(WAIT).until(() -> configText().contains("gpt-4.1-nano"));
    WatchEvent upsert = lastWatchEvent();
    assertThat(upsert.type()).isEqualTo(EventType.UPSERT);
    assertThat(upsert.kind()).isEqualTo("AIGatewayRoute");
    assertThat(upsert.generation()).isEqualTo(2);
    assertThat(creationTimestamp(upsert)).isEqualTo(created);
    assertThat(gateway.log().latestSeq()).isEqualTo(beforeChange + 1);

    // break: a typo records a SourceError and deletes nothing
    Files.writeString(dir.resolve("openai.yaml"), changed + "\n  : [broken\n");
    await().atMost(WAIT).until(() -> lastEntry().event() instanceof SourceError);
    SourceError error = (SourceError) lastEntry().event();
    assertThat(error.file()).endsWith("openai.yaml");
    assertThat(error.line()).isPositive();
    assertThat(state().desired()).hasSize(14).containsKey(OPENAI_CONFIG);

    // fix: the pending change is taken
    Files.writeString(dir.resolve("openai.yaml"), changed.replace("gpt-4o", "gpt-4.1"));
    await()
        .atMost(WAIT)
        .until(() -> configText().contains("gpt-4.1") && !configText().contains("gpt-4o"));

    // delete
    Files.delete(dir.resolve("azure-openai.yaml"));
    await().atMost(WAIT).until(() -> !state().desired().containsKey(AZURE_ROUTE));
    assertThat(state().desired()).hasSize(7);
    assertThat(lastWatchEvent().type()).isEqualTo(EventType.DELETE);
  }

  @Test
  void aRestartRecordsOnlyWhatChangedMeanwhile() throws Exception {
    Files.copy(EXAMPLES.resolve("openai.yaml"), dir.resolve("openai.yaml"));
    Files.copy(EXAMPLES.resolve("gateway.yaml"), dir.resolve("gateway.yaml"));
    start();
    long recorded = gateway.log().latestSeq();
    String desiredBefore = state().desiredYaml();
    restart();
    assertThat(gateway.log().latestSeq()).isEqualTo(recorded);
    assertThat(state().desiredYaml()).isEqualTo(desiredBefore);

    gateway.close().await(10, TimeUnit.SECONDS);
    gateway = null;
    Files.delete(dir.resolve("gateway.yaml"));
    start();

    List<LogEntry> added = gateway.log().read(recorded + 1, 100);
    assertThat(added).isNotEmpty();
    assertThat(added)
        .allSatisfy(e -> assertThat(((WatchEvent) e.event()).type()).isEqualTo(EventType.DELETE));
    assertThat(state().desiredYaml()).isEqualTo(desiredBefore);
  }

  @Test
  void aLogCutBackAtStartIsSaidOnTheAdminPortUntilTheNextStart() throws Exception {
    Files.copy(EXAMPLES.resolve("openai.yaml"), dir.resolve("openai.yaml"));
    Files.copy(EXAMPLES.resolve("gateway.yaml"), dir.resolve("gateway.yaml"));
    start();
    long recorded = gateway.log().latestSeq();
    gateway.close().await(10, TimeUnit.SECONDS);
    gateway = null;
    Path segment;
    try (var files = Files.list(data.resolve("log"))) {
      segment = files.filter(f -> f.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).get();
    }
    Files.write(segment, new byte[] {1, 2, 3, 4, 5, 6, 7}, java.nio.file.StandardOpenOption.APPEND);
    start();

    assertThat(gateway.log().latestSeq()).isEqualTo(recorded);
    String ready = adminGet("/readyz");
    assertThat(ready)
        .contains("\"status\":\"ready\"")
        .contains("\"logRepairedAtOpen\":\"the log was cut back to seq " + recorded + " at start");
    assertThat(adminGet("/metrics")).contains("\naigw_log_repaired_at_open 1\n");

    restart();
    assertThat(adminGet("/readyz")).doesNotContain("logRepairedAtOpen");
    assertThat(adminGet("/metrics")).contains("\naigw_log_repaired_at_open 0\n");
  }

  private String adminGet(String path) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + gateway.admin().port() + path))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void itsExtProcAndAdminApiAnswerOnlyThisMachineUnlessAskedOtherwise() throws Exception {
    start();
    // the ExtProc's answers carry the backends' credentials; the admin API's tokens travel in
    // clear, and its restore writes into the watched directory
    answersOnlyOnLoopback(gateway.extProc().port());
    answersOnlyOnLoopback(gateway.admin().port());
  }

  private static void answersOnlyOnLoopback(int port) throws Exception {
    try (java.net.Socket local = new java.net.Socket("127.0.0.1", port)) {
      assertThat(local.isConnected()).isTrue();
    }
    List<java.net.InetAddress> others =
        java.net.NetworkInterface.networkInterfaces()
            .flatMap(java.net.NetworkInterface::inetAddresses)
            .filter(address -> address instanceof java.net.Inet4Address)
            .filter(address -> !address.isLoopbackAddress())
            .toList();
    assertThat(others).as("a machine with a network address to test with").isNotEmpty();
    for (java.net.InetAddress address : others) {
      assertThatThrownBy(() -> new java.net.Socket(address, port).close())
          .as("connecting on %s to port %d", address, port)
          .isInstanceOf(java.net.ConnectException.class);
    }
  }

  @Test
  void itsExtProcInjectsTheKeyOfTheSecretInTheDirectoryAndFollowsItsRotation() throws Exception {
    String example = Files.readString(EXAMPLES.resolve("openai.yaml"));
    assertThat(example).contains("sk-replace-me");
    Files.writeString(dir.resolve("openai.yaml"), example.replace("sk-replace-me", "sk-first"));
    start();
    GrpcClient grpc = GrpcClient.client(vertx);
    try {
      Map<String, String> routed = route(grpc);
      assertThat(routed)
          .containsEntry("x-ai-eg-selected-backend", "openai.default")
          .containsEntry("x-ai-eg-model", "gpt-4o-mini")
          .containsEntry("authorization", "Bearer sk-first");

      // the Secret edited in place: the next request carries the new key, no restart
      Files.writeString(dir.resolve("openai.yaml"), example.replace("sk-replace-me", "sk-second"));
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(() -> "Bearer sk-second".equals(route(grpc).get("authorization")));
    } finally {
      grpc.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFileSavedAtOnceIsServedAtOnceNotObjectByObject() throws Exception {
    String example = Files.readString(EXAMPLES.resolve("openai.yaml"));
    Files.copy(EXAMPLES.resolve("gateway.yaml"), dir.resolve("gateway.yaml"));
    start();
    long before = gateway.servings();
    long seqBefore = gateway.log().latestSeq();
    GrpcClient grpc = GrpcClient.client(vertx);
    try {
      // a route, its backend, their policy and Secret in one file: folded one entry at a time, and
      // an ExtProc serving the states between sent requests without the key, or found no backend
      Path staged = dir.resolve("openai.yaml.tmp");
      Files.writeString(staged, example.replace("sk-replace-me", "sk-at-once"));
      Files.move(staged, dir.resolve("openai.yaml"), StandardCopyOption.ATOMIC_MOVE);
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(() -> "Bearer sk-at-once".equals(route(grpc).get("authorization")));

      assertThat(gateway.servings()).isEqualTo(before + 1);
      assertThat(gateway.log().latestSeq())
          .as("the route, backend, policy and Secret are an entry each")
          .isGreaterThanOrEqualTo(seqBefore + 4);
    } finally {
      grpc.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Sends a chat request's headers and body to the ExtProc as Envoy would and returns the headers
   * its answer to the body sets.
   */
  private Map<String, String> route(GrpcClient grpc) throws Exception {
    ProcessingRequest requestHeaders =
        ExtProcWire.requestHeaders(
            Map.of(
                ":method", "POST",
                ":path", "/v1/chat/completions",
                ":authority", "localhost:10000",
                "content-type", "application/json"),
            false);
    ProcessingRequest requestBody =
        ProcessingRequest.newBuilder()
            .setRequestBody(
                HttpBody.newBuilder()
                    .setBody(
                        ByteString.copyFromUtf8(
                            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                    .setEndOfStream(true))
            .build();
    Promise<ProcessingResponse> bodyAnswer = Promise.promise();
    grpc.request(
            SocketAddress.inetSocketAddress(gateway.extProc().port(), "127.0.0.1"),
            ExtProcWire.PROCESS)
        .onSuccess(
            call -> {
              call.response()
                  .onSuccess(
                      answers -> {
                        answers.handler(
                            answer -> {
                              if (answer.hasRequestBody() || answer.hasImmediateResponse()) {
                                bodyAnswer.tryComplete(answer);
                              }
                            });
                        answers.endHandler(
                            ended -> bodyAnswer.tryFail("the call ended before the body's answer"));
                      })
                  .onFailure(bodyAnswer::tryFail);
              // only the routing is asked for: the stream goes once it is answered, so retries
              // never pile streams up against the server's limit
              bodyAnswer.future().onComplete(done -> call.cancel());
              call.write(requestHeaders);
              call.write(requestBody);
            })
        .onFailure(bodyAnswer::tryFail);
    ProcessingResponse answer = bodyAnswer.future().await(10, TimeUnit.SECONDS);
    assertThat(answer.hasImmediateResponse()).as(answer.toString()).isFalse();
    Map<String, String> set = new TreeMap<>();
    for (HeaderValueOption option :
        answer.getRequestBody().getResponse().getHeaderMutation().getSetHeadersList()) {
      HeaderValue header = option.getHeader();
      set.put(
          header.getKey(),
          header.getValue().isEmpty() ? header.getRawValue().toStringUtf8() : header.getValue());
    }
    return set;
  }

  private void start() throws Exception {
    StandaloneOptions options =
        new StandaloneOptions(
            dir,
            data,
            0,
            0,
            true,
            new ExtProcSettings("ghcr.io/aigw/aigw:test", "IfNotPresent", "info"));
    gateway = StandaloneGateway.start(vertx, options).await(30, TimeUnit.SECONDS);
    gateway.ready().await(30, TimeUnit.SECONDS);
  }

  private void restart() throws Exception {
    gateway.close().await(10, TimeUnit.SECONDS);
    gateway = null;
    start();
  }

  private GatewayState state() {
    return gateway.host().current();
  }

  private String configText() {
    var config = state().desired().get(OPENAI_CONFIG);
    return config == null ? "" : config.object().path("data").path("extproc-config.yaml").asText();
  }

  private LogEntry lastEntry() {
    long latest = gateway.log().latestSeq();
    return gateway.log().read(latest, 1).get(0);
  }

  private WatchEvent lastWatchEvent() {
    return lastWatchEvent(null);
  }

  /** The last watch event, of {@code kind} when it is not null. */
  private WatchEvent lastWatchEvent(String kind) {
    long latest = gateway.log().latestSeq();
    List<LogEntry> entries = gateway.log().read(Math.max(1, latest - 20), 100);
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (entries.get(i).event() instanceof WatchEvent event
          && (kind == null || kind.equals(event.kind()))) {
        return event;
      }
    }
    throw new AssertionError("no watch event");
  }

  private static String creationTimestamp(WatchEvent event) {
    return CanonicalJson.read(event.objectJson())
        .path("metadata")
        .path("creationTimestamp")
        .asText("");
  }
}
