package io.aigw.e2e.extproc;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.CredentialFile;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.FilterConfigCodec;
import io.aigw.core.filterconfig.LlmRequestCost;
import io.aigw.core.filterconfig.Model;
import io.aigw.core.filterconfig.Rule;
import io.aigw.core.filterconfig.RuleBackend;
import io.aigw.extproc.auth.FileCredentialSource;
import io.aigw.extproc.metrics.ExtProcMetrics;
import io.aigw.extproc.processor.PassiveHealthPolicy;
import io.aigw.extproc.processor.RequestTracer;
import io.aigw.extproc.server.ExtProcServer;
import io.aigw.extproc.server.FileConfigSource;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole local gateway for one test: fake providers, the ExtProc serving a filter-config file
 * ({@code aigw extproc --config FILE} style, credentials from files), and the Envoy-like proxy in
 * front. Backends are named {@code <name>.default} and reached at their provider's port.
 */
public final class GatewayFixture implements AutoCloseable {

  static final String MODEL = "gpt-5-nano";

  public final Vertx vertx = Vertx.vertx();
  final Path dir;
  final Path configFile;
  final ExtProcMetrics metrics = new ExtProcMetrics();
  final ExtProcServer extProc;
  final FileConfigSource configSource;
  public final EnvoyLikeProxy proxy;
  private final List<FakeProvider> providers = new ArrayList<>();

  public GatewayFixture(Path dir, FilterConfig initial) throws IOException {
    this(dir, initial, RequestTracer.OFF);
  }

  /** A gateway whose ExtProc traces its requests with {@code tracer}. */
  public GatewayFixture(Path dir, FilterConfig initial, RequestTracer tracer) throws IOException {
    this.dir = dir;
    this.configFile = dir.resolve("filter-config.yaml");
    writeConfig(initial);
    extProc =
        ExtProcServer.start(
                vertx,
                ExtProcServer.Options.onPort(0)
                    .withHost("127.0.0.1")
                    .withInstances(1)
                    .withHealth(new PassiveHealthPolicy(3, 60_000_000_000L, 60_000_000_000L)),
                new FileCredentialSource(System::nanoTime, 50_000_000L),
                metrics,
                tracer)
            .await();
    configSource = FileConfigSource.watch(vertx, configFile, 50, extProc::replaceIfValid).await();
    proxy = new EnvoyLikeProxy(vertx, extProc.port()).start().await();
  }

  FakeProvider provider(String backendName) {
    FakeProvider provider = new FakeProvider(vertx).start().await();
    providers.add(provider);
    proxy.route(backendName, provider.port());
    return provider;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + proxy.port() + "/v1";
  }

  void writeConfig(FilterConfig config) throws IOException {
    Path next = dir.resolve("filter-config.yaml.next");
    Files.writeString(next, FilterConfigCodec.toYaml(config));
    Files.move(
        next,
        configFile,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Writes a key file, with a modification time that differs from any earlier write. */
  Path writeKey(String name, String value) throws IOException {
    Path file = dir.resolve(name);
    FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : FileTime.fromMillis(0);
    Files.writeString(file, value + "\n");
    Files.setLastModifiedTime(
        file, FileTime.fromMillis(Math.max(System.currentTimeMillis(), before.toMillis() + 2_000)));
    return file;
  }

  static Backend backend(String name, Path keyFile) {
    return new Backend(
        name,
        new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"),
        new BackendAuth.ApiKey(
            new CredentialFile(
                keyFile.toString(), new CredentialFile.SecretKeyRef("default", name, "apiKey"))),
        null);
  }

  static RuleBackend ref(String backend, int weight, long priority) {
    return new RuleBackend(backend, weight, priority, null, null, null);
  }

  static Rule rule(String model, RuleBackend... refs) {
    return new Rule(
        "rule/0",
        List.of(
            new Rule.Match(
                List.of(new Rule.HeaderMatch("x-ai-eg-model", Rule.MatchType.Exact, model)))),
        List.of(refs));
  }

  static FilterConfig route(String name, List<Rule> rules, List<Backend> backends) {
    return FilterConfig.of(
        "default",
        name,
        List.of(),
        rules,
        backends,
        List.of(
            new LlmRequestCost("used_token", LlmRequestCost.Type.InputToken, null),
            new LlmRequestCost("output_token", LlmRequestCost.Type.OutputToken, null),
            new LlmRequestCost(
                "cost", LlmRequestCost.Type.CEL, "input_tokens * uint(2) + output_tokens")),
        List.of(new Model(MODEL, "openai", "2025-08-07T00:00:00Z")));
  }

  @Override
  public void close() {
    configSource.close();
    proxy.close().await();
    providers.forEach(p -> p.close().await());
    extProc.close().await();
    vertx.close().await();
  }
}
