package io.aigw.e2e.providers;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.CredentialFile;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.LlmRequestCost;
import io.aigw.core.filterconfig.Model;
import io.aigw.core.filterconfig.Rule;
import io.aigw.core.filterconfig.RuleBackend;
import io.aigw.e2e.extproc.RecordedExchange;
import io.vertx.core.Vertx;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;

/**
 * The end-to-end gateway of {@code io.aigw.e2e.extproc} (ExtProc serving a filter-config file,
 * credentials from files, the Envoy-like proxy in front) for provider tests. That harness is
 * package-private, so it is reached reflectively here rather than copied; one route {@code
 * default/providers} with one rule and one backend per test.
 */
final class ProviderGateway implements AutoCloseable {

  static final String NAMESPACE = "default";
  static final String ROUTE = "providers";

  private final AutoCloseable fixture;
  private final Object proxy;
  private final Vertx vertx;
  private final String baseUrl;

  private ProviderGateway(AutoCloseable fixture, Object proxy, Vertx vertx, String baseUrl) {
    this.fixture = fixture;
    this.proxy = proxy;
    this.vertx = vertx;
    this.baseUrl = baseUrl;
  }

  /** Starts the gateway serving {@code config}, files (config, keys) under {@code dir}. */
  static ProviderGateway start(Path dir, FilterConfig config) throws ReflectiveOperationException {
    Class<?> type = Class.forName("io.aigw.e2e.extproc.GatewayFixture");
    Constructor<?> constructor = type.getDeclaredConstructor(Path.class, FilterConfig.class);
    constructor.setAccessible(true);
    Object fixture = unwrap(() -> constructor.newInstance(dir, config));
    Object proxy = field(type, "proxy").get(fixture);
    Vertx vertx = (Vertx) field(type, "vertx").get(fixture);
    Method baseUrl = type.getDeclaredMethod("baseUrl");
    baseUrl.setAccessible(true);
    return new ProviderGateway(
        (AutoCloseable) fixture, proxy, vertx, (String) unwrap(() -> baseUrl.invoke(fixture)));
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }

  private interface Call {
    Object run() throws ReflectiveOperationException;
  }

  private static Object unwrap(Call call) throws ReflectiveOperationException {
    try {
      return call.run();
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }

  /** The Vert.x instance the gateway runs on, for fake providers. */
  Vertx vertx() {
    return vertx;
  }

  /** Sends backend {@code name} (Envoy's cluster) to a loopback port. */
  void route(String name, int port) throws ReflectiveOperationException {
    Method route = proxy.getClass().getDeclaredMethod("route", String.class, int.class);
    route.setAccessible(true);
    unwrap(() -> route.invoke(proxy, name, port));
  }

  /** {@code http://127.0.0.1:<port>} of the Envoy-like listener. */
  String origin() {
    return baseUrl.substring(0, baseUrl.length() - "/v1".length());
  }

  /** The exchanges the Envoy-like proxy recorded, in order. */
  @SuppressWarnings("unchecked")
  List<RecordedExchange> exchanges() throws ReflectiveOperationException {
    return List.copyOf((List<RecordedExchange>) field(proxy.getClass(), "exchanges").get(proxy));
  }

  @Override
  public void close() throws Exception {
    fixture.close();
  }

  /** A file credential: the mounted file and the Secret key behind it. */
  static CredentialFile credential(Path file, String backend, String key) {
    return new CredentialFile(
        file.toString(), new CredentialFile.SecretKeyRef(NAMESPACE, backend, key));
  }

  /**
   * One route: requests for {@code model} go to {@code backend} (named {@code <name>.default}),
   * sent as {@code override} when that is not null; input, output and total tokens are reported.
   */
  static FilterConfig route(
      String model, String name, ApiSchema schema, BackendAuth auth, String override) {
    String backend = name + "." + NAMESPACE;
    Rule rule =
        new Rule(
            "rule/0",
            List.of(
                new Rule.Match(
                    List.of(new Rule.HeaderMatch("x-ai-eg-model", Rule.MatchType.Exact, model)))),
            List.of(new RuleBackend(backend, 1, 0, override, null, null)));
    return FilterConfig.of(
        NAMESPACE,
        ROUTE,
        List.of(),
        List.of(rule),
        List.of(new Backend(backend, schema, auth, null)),
        List.of(
            new LlmRequestCost("input_token", LlmRequestCost.Type.InputToken, null),
            new LlmRequestCost("output_token", LlmRequestCost.Type.OutputToken, null),
            new LlmRequestCost("total_token", LlmRequestCost.Type.TotalToken, null),
            new LlmRequestCost("cached_input_token", LlmRequestCost.Type.CachedInputToken, null)),
        List.of(new Model(model, name, "2025-01-01T00:00:00Z")));
  }
}
