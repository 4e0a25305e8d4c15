package io.aigw.projections.properties;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.RotationOutcome;
import io.aigw.core.event.SourceError;
import io.aigw.projections.properties.GatewayObjects.Cost;
import io.aigw.projections.properties.GatewayObjects.Rule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Realistic event sequences over a key space small enough that objects meet: routes referencing
 * backends that may or may not exist, policies targeting zero, one or two backends (two policies on
 * one backend happen), secrets with digests, gateways, kinds aigw ignores, deletes of present and
 * absent keys, objects aigw must reject, source errors, and outcomes of credential rotations.
 */
public final class LogEvents {

  static final List<String> NAMESPACES = List.of("default", "team-a");
  static final List<String> ROUTES = List.of("chat", "embed");
  static final List<String> BACKENDS = List.of("openai", "bedrock", "azure");
  static final List<String> POLICIES = List.of("openai-key", "aws-creds");
  static final List<String> SECRETS = List.of("openai-key", "aws-creds");
  static final List<String> MODELS = List.of("gpt-4o", "llama3", "claude");
  static final List<String> SCHEMAS = List.of("OpenAI", "AWSBedrock", "AzureOpenAI");

  /** Where routes attach, so that they sometimes take each other's requests and sometimes not. */
  static final List<List<String>> HOSTNAMES =
      List.of(
          List.of(),
          List.of(),
          List.of("a.example.com"),
          List.of("a.example.com", "b.example.com"));

  /**
   * The Gateways routes attach to: mostly one of their namespace, sometimes two (which may name
   * different GatewayConfigs) or one of another namespace.
   */
  static final List<List<String>> PARENTS =
      List.of(
          List.of("gw"),
          List.of("gw"),
          List.of("gw", "gw2"),
          List.of("gw2", "gw"),
          List.of("team-a/gw"),
          List.of("default/gw2", "gw"));

  static final List<String> CREATED = List.of("", "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z");
  static final List<String> SECTIONS = List.of("", "", "http");
  static final String VALID_CEL = "input_tokens * uint(3) + output_tokens";
  static final String INVALID_CEL = "input_tokens +";

  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  private LogEvents() {}

  /** Up to 40 events. */
  public static Arbitrary<List<LogEvent>> events() {
    return event().list().ofMaxSize(40);
  }

  /** Up to 40 entries numbered from seq 1, as a log would commit {@link #events()}. */
  public static Arbitrary<List<LogEntry>> entries() {
    return events().map(LogEvents::numbered);
  }

  /** The entries a log commits for {@code events}: seq 1, 2, … one second apart. */
  public static List<LogEntry> numbered(List<? extends LogEvent> events) {
    List<LogEntry> entries = new ArrayList<>(events.size());
    for (LogEvent event : events) {
      long seq = entries.size() + 1L;
      entries.add(new LogEntry(seq, START.plusSeconds(seq), event));
    }
    return List.copyOf(entries);
  }

  public static Arbitrary<LogEvent> event() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, routes().map(GatewayObjects::upsert)),
        Tuple.of(4, backends().map(GatewayObjects::upsert)),
        Tuple.of(3, policies().map(GatewayObjects::upsert)),
        Tuple.of(2, secrets().map(GatewayObjects::upsert)),
        Tuple.of(2, gateways().map(GatewayObjects::upsert)),
        Tuple.of(2, gatewayConfigs().map(GatewayObjects::upsert)),
        Tuple.of(2, quotaPolicies().map(GatewayObjects::upsert)),
        Tuple.of(2, endpoints().map(GatewayObjects::upsert)),
        Tuple.of(1, unrelated().map(GatewayObjects::upsert)),
        Tuple.of(3, objects().map(GatewayObjects::delete)),
        Tuple.of(1, objects().map(GatewayObjects::beingDeleted).map(GatewayObjects::upsert)),
        Tuple.of(1, invalid().map(GatewayObjects::upsert)),
        Tuple.of(1, sourceErrors()),
        Tuple.of(3, rotations()));
  }

  /** Any object a user could apply, valid or not, from the shared key space. */
  public static Arbitrary<ObjectNode> objects() {
    return Arbitraries.oneOf(
        routes(),
        backends(),
        policies(),
        secrets(),
        gateways(),
        gatewayConfigs(),
        quotaPolicies(),
        endpoints(),
        unrelated(),
        invalid());
  }

  public static Arbitrary<ObjectNode> routes() {
    Arbitrary<String> apiVersion =
        Arbitraries.frequency(
            Tuple.of(4, GatewayObjects.AI_GROUP_V1BETA1),
            Tuple.of(1, GatewayObjects.AI_GROUP_V1ALPHA1));
    Arbitrary<Rule> rule =
        Combinators.combine(
                Arbitraries.of(MODELS),
                Arbitraries.of(BACKENDS).list().uniqueElements().ofMinSize(1).ofMaxSize(2))
            .as(Rule::new);
    Arbitrary<Cost> cost =
        Arbitraries.of(
            new Cost("llm_input_token", "InputToken", null),
            new Cost("llm_total_token", "TotalToken", null),
            new Cost("llm_cel", "CEL", VALID_CEL),
            new Cost("llm_bad_cel", "CEL", INVALID_CEL));
    return Combinators.combine(
            apiVersion,
            Arbitraries.of(NAMESPACES),
            Arbitraries.of(ROUTES),
            Arbitraries.of(PARENTS),
            rule.list().ofMinSize(1).ofMaxSize(3),
            cost.list().uniqueElements(Cost::metadataKey).ofMaxSize(2))
        .as(
            (version, ns, name, parents, rules, costs) ->
                GatewayObjects.route(version, ns, name, parents, rules, costs))
        .flatMap(
            route ->
                Combinators.combine(
                        Arbitraries.of(HOSTNAMES),
                        Arbitraries.of(CREATED),
                        Arbitraries.of(SECTIONS))
                    .as(
                        (hostnames, created, section) ->
                            GatewayObjects.attached(route, hostnames, created, section)));
  }

  public static Arbitrary<ObjectNode> backends() {
    return Combinators.combine(
            Arbitraries.of(NAMESPACES), Arbitraries.of(BACKENDS), Arbitraries.of(SCHEMAS))
        .as(GatewayObjects::backend);
  }

  public static Arbitrary<ObjectNode> policies() {
    return Combinators.combine(
            Arbitraries.of(NAMESPACES),
            Arbitraries.of(POLICIES),
            Arbitraries.of(BACKENDS).list().uniqueElements().ofMaxSize(2),
            Arbitraries.of(true, false),
            Arbitraries.of(SECRETS))
        .as(GatewayObjects::policy);
  }

  public static Arbitrary<ObjectNode> secrets() {
    Arbitrary<String> digest = Arbitraries.of("0", "7", "a", "f").map(hex -> hex.repeat(64));
    Arbitrary<String> key = Arbitraries.of("apiKey", "credentials");
    return Combinators.combine(Arbitraries.of(NAMESPACES), Arbitraries.of(SECRETS), key, digest)
        .as((ns, name, k, d) -> GatewayObjects.secret(ns, name, Map.of(k, d)));
  }

  public static Arbitrary<ObjectNode> gateways() {
    return Combinators.combine(
            Arbitraries.of(NAMESPACES),
            Arbitraries.of("gw", "gw", "gw2"),
            Arbitraries.of(8080, 8888),
            Arbitraries.of("", "gwc", "gwc", "other"))
        .as(GatewayObjects::gateway);
  }

  /** Envoy Gateway Backends of the AIServiceBackends, public, FIPS or by address. */
  public static Arbitrary<ObjectNode> endpoints() {
    return Combinators.combine(
            Arbitraries.of(NAMESPACES),
            Arbitraries.of(BACKENDS),
            Arbitraries.of(
                "bedrock-runtime.us-east-1.amazonaws.com",
                "bedrock-runtime-fips.us-east-1.amazonaws.com",
                "10.0.0.7"))
        .as(GatewayObjects::endpoint);
  }

  /** GatewayConfigs under the names Gateways give, with costs that meet the routes' keys. */
  public static Arbitrary<ObjectNode> gatewayConfigs() {
    Arbitrary<Cost> cost =
        Arbitraries.of(
            new Cost("llm_total_token", "OutputToken", null),
            new Cost("llm_global", "CEL", VALID_CEL),
            new Cost("llm_global_bad", "CEL", INVALID_CEL));
    return Combinators.combine(
            Arbitraries.of(NAMESPACES),
            Arbitraries.of("gwc", "other"),
            cost.list().uniqueElements(Cost::metadataKey).ofMaxSize(2),
            Arbitraries.integers().between(0, 3))
        .as(GatewayObjects::gatewayConfig);
  }

  /** QuotaPolicies of the routes' backends and models, with costs that compile or not. */
  public static Arbitrary<ObjectNode> quotaPolicies() {
    return Combinators.combine(
            Arbitraries.of(NAMESPACES),
            Arbitraries.of("budget", "spare"),
            Arbitraries.of(BACKENDS).list().uniqueElements().ofMinSize(1).ofMaxSize(2),
            Arbitraries.of(MODELS),
            Arbitraries.of("total_tokens", VALID_CEL, INVALID_CEL),
            Arbitraries.integers().between(0, 4))
        .as(GatewayObjects::quotaPolicy);
  }

  public static Arbitrary<ObjectNode> unrelated() {
    return Combinators.combine(
            Arbitraries.of("ConfigMap", "Deployment"),
            Arbitraries.of(NAMESPACES),
            Arbitraries.of("app", "openai"),
            Arbitraries.of("1", "2"))
        .as(GatewayObjects::unrelated);
  }

  public static Arbitrary<ObjectNode> invalid() {
    return Combinators.combine(
            Arbitraries.of(
                "AIGatewayRoute",
                "AIServiceBackend",
                "BackendSecurityPolicy",
                "GatewayConfig",
                "QuotaPolicy"),
            Arbitraries.of(NAMESPACES),
            Arbitraries.of("chat", "openai", "openai-key", "gwc", "budget"),
            Arbitraries.integers().between(0, 3))
        .as(GatewayObjects::invalid);
  }

  /**
   * How rotating a policy's credential went: for a policy of the key space (under its uid, or
   * another policy's that had the name before), of generation 0 (as the generated objects have) or
   * 1, failed or rotated.
   */
  public static Arbitrary<LogEvent> rotations() {
    return Combinators.combine(
            Arbitraries.of(NAMESPACES),
            Arbitraries.of(POLICIES),
            Arbitraries.of(true, true, false),
            Arbitraries.of(0L, 0L, 1L),
            Arbitraries.of("", "STS answered 403", "token endpoint timed out"))
        .as(
            (ns, name, same, generation, failure) ->
                new RotationOutcome(
                    GatewayObjects.SOURCE,
                    ns,
                    name,
                    same ? "uid-" + ns + "-" + name : "uid-gone",
                    generation,
                    failure));
  }

  public static Arbitrary<LogEvent> sourceErrors() {
    return Combinators.combine(
            Arbitraries.of("routes.yaml", "backends.yaml"),
            Arbitraries.integers().between(0, 40),
            Arbitraries.of("mapping values are not allowed here", "object has no metadata.name"))
        .as((file, line, reason) -> new SourceError(GatewayObjects.SOURCE, file, line, reason));
  }
}
