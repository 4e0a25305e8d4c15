package io.aigw.projections.filterconfig;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.filterconfig.ApiPaths;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.CredentialOverride;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.LlmRequestCost;
import io.aigw.core.filterconfig.Model;
import io.aigw.core.filterconfig.Rule;
import io.aigw.core.filterconfig.RuleBackend;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.AIGatewayRouteRule;
import io.aigw.core.model.AIGatewayRouteRuleBackendRef;
import io.aigw.core.model.AIGatewayRouteRuleMatch;
import io.aigw.core.model.AIServiceBackend;
import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.core.model.GatewayConfig;
import io.aigw.core.model.HTTPHeaderMatch;
import io.aigw.core.model.HTTPRouteTimeouts;
import io.aigw.core.model.LLMRequestCost;
import io.aigw.core.model.QuotaPolicy;
import io.aigw.core.model.VersionedAPISchema;
import io.aigw.core.model.gateway.Names;
import io.aigw.projections.filterconfig.RouteResolution.ResolvedBackend;
import io.aigw.projections.filterconfig.RouteResolution.SecretMount;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates one AIGatewayRoute, with its AIServiceBackends, their BackendSecurityPolicies and
 * Secrets, into the route's {@link FilterConfig} (see {@code io.aigw.core.filterconfig}). Pure: the
 * same route and references give the same resolution. A reference that does not resolve is left out
 * and reported; the rest of the route still works.
 */
public final class FilterConfigProjection {

  static final String DEFAULT_REQUEST_TIMEOUT = "60s";
  static final String EPOCH = "1970-01-01T00:00:00Z";

  /**
   * An HTTPRoute has at most 16 rules; one is route-not-found, one per backend and distinct
   * timeouts is the rest.
   */
  static final int MAX_BACKEND_RULES = 15;

  private final CostExpressions costExpressions;
  private final QuotaBudgets quotas;

  private final ApiPaths apiPaths;

  public FilterConfigProjection() {
    this(new CostExpressions(), ApiPaths.DEFAULT);
  }

  /** Configs whose ExtProcs serve the APIs at {@code apiPaths}. */
  public FilterConfigProjection(ApiPaths apiPaths) {
    this(new CostExpressions(), apiPaths);
  }

  public FilterConfigProjection(CostExpressions costExpressions) {
    this(costExpressions, ApiPaths.DEFAULT);
  }

  public FilterConfigProjection(CostExpressions costExpressions, ApiPaths apiPaths) {
    this.costExpressions = costExpressions;
    this.quotas = new QuotaBudgets(costExpressions);
    this.apiPaths = apiPaths;
  }

  /** Resolves {@code route} against {@code references}. */
  public RouteResolution resolve(Versioned<AIGatewayRoute> route, References references) {
    var work = new Work(route, references);
    List<AIGatewayRouteRule> rules = route.resource().spec().rules();
    List<PendingRule> pending = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      rule(work, i, rules.get(i)).ifPresent(pending::add);
    }
    // the backends first, then extra timeouts rules from the room they leave
    List<Rule> configRules = new ArrayList<>();
    for (PendingRule rule : pending) {
      List<RuleBackend> candidates = new ArrayList<>();
      for (PendingRef ref : rule.refs()) {
        String backendRule = backendRule(work, ref.field(), ref.backend(), ref.timeouts());
        candidates.add(
            ruleBackend(
                ref.ref(), ref.backend().backend().resource(), backendRule, fullName(route, ref)));
      }
      configRules.add(new Rule(rule.name(), rule.matches(), candidates));
    }
    List<Backend> backends = new ArrayList<>();
    List<ResolvedBackend> resolved = new ArrayList<>();
    for (BackendWork backend : work.backends.values()) {
      backends.add(backend.config);
      resolved.add(backend.resolved());
    }
    var spec = route.resource().spec();
    GatewayConfigBinding binding = references.gatewayConfigOf(route);
    work.problems.addAll(binding.problems());
    work.referenceSeqs.addAll(binding.seqs());
    FilterConfig config =
        FilterConfig.of(
                route.namespace(),
                route.name(),
                spec.hostnames(),
                configRules,
                backends,
                withGlobalCosts(
                    costs(work.problems, "spec.llmRequestCosts", spec.llmRequestCosts()),
                    spec.llmRequestCosts(),
                    binding.config()),
                models(route, work.leftOutRules))
            .withApiPaths(apiPaths);
    return new RouteResolution(
        route,
        config,
        resolved,
        work.problems,
        work.referenceSeqs,
        work.credentialSeqs,
        work.metadataReaderSeqs,
        binding.containerConfig());
  }

  /**
   * What of a QuotaPolicy in effect is not applied (and left out of the filter configs), beside its
   * targets: {@link io.aigw.projections.status.StatusProjection#quotaProblems}.
   */
  public List<String> quotaProblems(Versioned<QuotaPolicy> policy, References references) {
    return quotas.problems(policy, references);
  }

  /**
   * What is wrong with a GatewayConfig's {@code globalLLMRequestCosts}; the routes that follow it
   * leave those costs out.
   */
  public List<String> globalCostProblems(GatewayConfig config) {
    List<String> problems = new ArrayList<>();
    costs(problems, "spec.globalLLMRequestCosts", config.spec().globalLLMRequestCosts());
    return problems;
  }

  /**
   * A route's own costs, then those of its GatewayConfig under another metadata key: a route's cost
   * wins over the global one with its key, even one its status reports as wrong ({@code declared}:
   * all the route gives). A global cost the GatewayConfig's status reports as wrong is left out.
   */
  private List<LlmRequestCost> withGlobalCosts(
      List<LlmRequestCost> own,
      List<LLMRequestCost> declared,
      Optional<Versioned<GatewayConfig>> gatewayConfig) {
    if (gatewayConfig.isEmpty()) {
      return own;
    }
    List<LLMRequestCost> global = gatewayConfig.get().resource().spec().globalLLMRequestCosts();
    if (global.isEmpty()) {
      return own;
    }
    Set<String> keys = new HashSet<>();
    declared.forEach(cost -> keys.add(cost.metadataKey()));
    List<LlmRequestCost> all = new ArrayList<>(own);
    for (LlmRequestCost cost : costs(new ArrayList<>(), "", global)) {
      if (keys.add(cost.metadataKey())) {
        all.add(cost);
      }
    }
    return all;
  }

  private static final class Work {
    final Versioned<AIGatewayRoute> route;
    final References references;
    final Map<ObjectKey, BackendWork> backends = new LinkedHashMap<>();
    final List<String> problems = new ArrayList<>();
    final TreeSet<Long> referenceSeqs = new TreeSet<>();
    final TreeSet<Long> credentialSeqs = new TreeSet<>();
    final TreeSet<Long> metadataReaderSeqs = new TreeSet<>();
    final BitSet leftOutRules = new BitSet();

    Work(Versioned<AIGatewayRoute> route, References references) {
      this.route = route;
      this.references = references;
    }
  }

  /** A backend as resolved so far; {@code timeouts} grows as later rules name it. */
  private record BackendWork(
      Backend config,
      ObjectKey key,
      Versioned<AIServiceBackend> backend,
      List<HTTPRouteTimeouts> timeouts,
      Optional<SecretMount> mount) {

    ResolvedBackend resolved() {
      return new ResolvedBackend(key, backend, timeouts, mount);
    }
  }

  /** A rule whose candidates wait for every backend to be resolved. */
  private record PendingRule(String name, List<Rule.Match> matches, List<PendingRef> refs) {}

  /** A rule's reference resolved to its backend, with the rule's timeouts. */
  private record PendingRef(
      RefField field,
      AIGatewayRouteRuleBackendRef ref,
      BackendWork backend,
      HTTPRouteTimeouts timeouts) {}

  /** {@code spec.rules[i].backendRefs[j]}, made text only when a problem names it. */
  private record RefField(int rule, int ref) {
    @Override
    public String toString() {
      return "spec.rules[" + rule + "].backendRefs[" + ref + "]";
    }
  }

  /**
   * The rule as the ExtProc takes it, or empty when one of its regular expressions does not
   * compile: the ExtProc would refuse the whole config, and leaving the match out would widen the
   * rule.
   */
  private Optional<PendingRule> rule(Work work, int index, AIGatewayRouteRule rule) {
    Optional<String> badRegex = invalidRegex(index, rule);
    if (badRegex.isPresent()) {
      work.problems.add(badRegex.get());
      work.leftOutRules.set(index);
      return Optional.empty();
    }
    if (rule.streamIdleTimeout() != null && !rule.streamIdleTimeout().isEmpty()) {
      work.problems.add(
          "spec.rules["
              + index
              + "].streamIdleTimeout: not applied: the generated Gateway API resources have no"
              + " per-try idle timeout (upstream's extension server sets it on Envoy's routes);"
              + " the rule's streams are bounded by its request timeout only");
    }
    List<Rule.Match> matches = new ArrayList<>();
    for (AIGatewayRouteRuleMatch match : rule.matches()) {
      List<Rule.HeaderMatch> headers = new ArrayList<>();
      for (HTTPHeaderMatch header : match.headers()) {
        headers.add(
            new Rule.HeaderMatch(
                header.name().toLowerCase(Locale.ROOT),
                "RegularExpression".equals(header.type())
                    ? Rule.MatchType.RegularExpression
                    : Rule.MatchType.Exact,
                header.value()));
      }
      matches.add(new Rule.Match(headers));
    }
    List<PendingRef> refs = new ArrayList<>();
    for (int j = 0; j < rule.backendRefs().size(); j++) {
      var field = new RefField(index, j);
      AIGatewayRouteRuleBackendRef ref = rule.backendRefs().get(j);
      backend(work, field, ref, rule.timeouts())
          .ifPresent(b -> refs.add(new PendingRef(field, ref, b, rule.timeouts())));
    }
    String name = rule.name() == null || rule.name().isEmpty() ? "rule/" + index : rule.name();
    return Optional.of(new PendingRule(name, matches, refs));
  }

  /** The first header value of type RegularExpression that the ExtProc could not compile. */
  private static Optional<String> invalidRegex(int index, AIGatewayRouteRule rule) {
    for (int j = 0; j < rule.matches().size(); j++) {
      List<HTTPHeaderMatch> headers = rule.matches().get(j).headers();
      for (int k = 0; k < headers.size(); k++) {
        HTTPHeaderMatch header = headers.get(k);
        if (!"RegularExpression".equals(header.type())) {
          continue;
        }
        try {
          Pattern.compile(header.value());
        } catch (PatternSyntaxException e) {
          return Optional.of(
              "spec.rules["
                  + index
                  + "].matches["
                  + j
                  + "].headers["
                  + k
                  + "].value: invalid regular expression \""
                  + header.value()
                  + "\": "
                  + e.getDescription()
                  + "; the rule is left out");
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Upstream's name of a candidate: the route's namespace whichever the backend's, and the indices
   * of the route's own lists, whatever was left out of the config before it.
   */
  private static String fullName(Versioned<AIGatewayRoute> route, PendingRef ref) {
    return route.namespace()
        + "/"
        + ref.backend().backend().resource().metadata().name()
        + "/route/"
        + route.name()
        + "/rule/"
        + ref.field().rule()
        + "/ref/"
        + ref.field().ref();
  }

  private static RuleBackend ruleBackend(
      AIGatewayRouteRuleBackendRef ref,
      AIServiceBackend backend,
      String backendRule,
      String fullName) {
    var spec = backend.spec();
    return new RuleBackend(
        Names.backend(backend.metadata().name(), backend.metadata().namespace()),
        ref.weight() == null ? 1 : ref.weight(),
        ref.priority() == null ? 0 : ref.priority(),
        ref.modelNameOverride() == null || ref.modelNameOverride().isEmpty()
            ? null
            : ref.modelNameOverride(),
        Mutations.headers(spec.headerMutation(), ref.headerMutation()),
        Mutations.body(spec.bodyMutation(), ref.bodyMutation()),
        backendRule,
        fullName);
  }

  private Optional<BackendWork> backend(
      Work work, RefField field, AIGatewayRouteRuleBackendRef ref, HTTPRouteTimeouts timeouts) {
    if (ref.kind() != null && !ref.kind().isEmpty()) {
      work.problems.add(field + ": " + ref.kind() + " backends are not supported");
      return Optional.empty();
    }
    String routeNs = work.route.namespace();
    String ns = ref.namespace() == null || ref.namespace().isEmpty() ? routeNs : ref.namespace();
    if (!ns.equals(routeNs)) {
      Optional<Long> grant = work.references.grant(routeNs, ns, ref.name());
      if (grant.isEmpty()) {
        work.problems.add(
            field
                + ": AIServiceBackend "
                + ns
                + "/"
                + ref.name()
                + " is in another namespace and no ReferenceGrant in "
                + ns
                + " allows AIGatewayRoutes of "
                + routeNs
                + " to refer to it");
        return Optional.empty();
      }
      work.referenceSeqs.add(grant.get());
    }
    ObjectKey key = References.backendKey(ns, ref.name());
    BackendWork known = work.backends.get(key);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<Versioned<AIServiceBackend>> backend = work.references.backend(key);
    if (backend.isEmpty()) {
      work.problems.add(
          field
              + ": AIServiceBackend "
              + ns
              + "/"
              + ref.name()
              + (work.references.rejected(key) ? " is not valid (see its status)" : " not found"));
      return Optional.empty();
    }
    if (work.backends.size() == MAX_BACKEND_RULES) {
      work.problems.add(
          field
              + ": AIServiceBackend "
              + ns
              + "/"
              + ref.name()
              + " is left out: the generated HTTPRoute has room for "
              + MAX_BACKEND_RULES
              + " backend rules (16 rules with route-not-found)");
      return Optional.empty();
    }
    BackendWork resolved = resolveBackend(work, field, key, backend.get(), timeouts);
    work.backends.put(key, resolved);
    return Optional.of(resolved);
  }

  /**
   * AWS credentials sign for the host Envoy sends requests to: that of the backend's Envoy Gateway
   * Backend when it is not the region's public endpoint (FIPS, PrivateLink).
   */
  private static BackendAuth signedForItsHost(
      Work work, Versioned<AIServiceBackend> backend, BackendAuth auth) {
    if (!(auth instanceof BackendAuth.Aws aws)) {
      return auth;
    }
    Optional<References.BackendHost> host = work.references.backendHost(backend);
    if (host.isEmpty()) {
      return auth;
    }
    work.referenceSeqs.add(host.get().seq());
    return host.get().hostname().equalsIgnoreCase(aws.publicHost())
        ? auth
        : aws.withHost(host.get().hostname());
  }

  private BackendWork resolveBackend(
      Work work,
      RefField field,
      ObjectKey key,
      Versioned<AIServiceBackend> backend,
      HTTPRouteTimeouts timeouts) {
    work.referenceSeqs.add(backend.seq());
    List<Versioned<BackendSecurityPolicy>> policies = work.references.policiesOf(key);
    BackendAuth auth = null;
    CredentialOverride override = null;
    Optional<SecretMount> mount = Optional.empty();
    if (!policies.isEmpty()) {
      Versioned<BackendSecurityPolicy> policy = policies.get(0);
      work.credentialSeqs.add(policy.seq());
      String volume = Names.secretVolume(policy.name());
      auth =
          PolicyCredentials.auth(policy.resource(), volume)
              .map(configured -> signedForItsHost(work, backend, configured))
              .orElse(null);
      override = PolicyCredentials.override(policy.resource()).orElse(null);
      if (override != null && override.readsMetadata()) {
        work.metadataReaderSeqs.add(policy.seq());
      }
      mount = mount(work, field, policy, volume);
    }
    List<Versioned<QuotaPolicy>> quotaPolicies = work.references.quotasOf(key);
    quotaPolicies.forEach(policy -> work.referenceSeqs.add(policy.seq()));
    Backend config =
        new Backend(
            Names.backend(backend.name(), backend.namespace()),
            schema(backend.resource().spec().schema()),
            auth,
            override,
            quotas.of(quotaPolicies));
    List<HTTPRouteTimeouts> variants = new ArrayList<>();
    variants.add(withDefaultRequest(timeouts));
    return new BackendWork(config, key, backend, variants, mount);
  }

  private static Optional<SecretMount> mount(
      Work work, RefField field, Versioned<BackendSecurityPolicy> policy, String volume) {
    var use = PolicyCredentials.mountOf(policy.resource());
    if (use.isEmpty()) {
      return Optional.empty();
    }
    work.references
        .secret(use.get().namespace(), use.get().name())
        .ifPresent(secret -> work.credentialSeqs.add(secret.seq()));
    if (!use.get().namespace().equals(work.route.namespace())) {
      work.problems.add(
          field
              + ": Secret "
              + use.get().namespace()
              + "/"
              + use.get().name()
              + " of BackendSecurityPolicy "
              + policy.ref()
              + " cannot be mounted into the ExtProc, which runs in namespace "
              + work.route.namespace());
      return Optional.empty();
    }
    return Optional.of(new SecretMount(volume, use.get().name()));
  }

  static ApiSchema schema(VersionedAPISchema schema) {
    ApiSchema.Name name = ApiSchema.Name.valueOf(schema.name());
    boolean prefixed = name == ApiSchema.Name.OpenAI || name == ApiSchema.Name.Anthropic;
    if (prefixed) {
      String prefix = schema.prefix() == null || schema.prefix().isEmpty() ? "v1" : schema.prefix();
      return new ApiSchema(name, null, prefix);
    }
    String version =
        schema.version() == null || schema.version().isEmpty() ? null : schema.version();
    return new ApiSchema(name, version, null);
  }

  /**
   * The backend-rule header value of a rule naming {@code known} with {@code timeouts}: null for
   * the timeouts of the backend's first HTTPRoute rule, else the timeouts' own ({@link
   * RouteResolution#backendRuleValue}), with an HTTPRoute rule of their own while there is room;
   * then null, and the rule is named for it.
   */
  private static String backendRule(
      Work work, RefField field, BackendWork known, HTTPRouteTimeouts timeouts) {
    HTTPRouteTimeouts wanted = withDefaultRequest(timeouts);
    // the same durations however written (60s, 1m): the one written first stands for them
    for (int k = 0; k < known.timeouts().size(); k++) {
      HTTPRouteTimeouts set = known.timeouts().get(k);
      if (RouteTimeouts.same(set, wanted)) {
        return k == 0 ? null : RouteResolution.backendRuleValue(set);
      }
    }
    if (httpRouteRules(work) < MAX_BACKEND_RULES) {
      known.timeouts().add(wanted);
      return RouteResolution.backendRuleValue(wanted);
    }
    work.problems.add(
        "spec.rules["
            + field.rule()
            + "].timeouts: AIServiceBackend "
            + known.key().namespace()
            + "/"
            + known.key().name()
            + " keeps the timeouts of the first rule naming it ("
            + describe(known.timeouts().get(0))
            + "): the generated HTTPRoute has room for "
            + MAX_BACKEND_RULES
            + " backend rules");
    return null;
  }

  /** The backend rules of the HTTPRoute so far: one per backend and distinct timeouts. */
  private static int httpRouteRules(Work work) {
    int rules = 0;
    for (BackendWork backend : work.backends.values()) {
      rules += backend.timeouts().size();
    }
    return rules;
  }

  private static String describe(HTTPRouteTimeouts timeouts) {
    return "request "
        + timeouts.request()
        + (timeouts.backendRequest() == null
            ? ""
            : ", backendRequest " + timeouts.backendRequest());
  }

  static HTTPRouteTimeouts withDefaultRequest(HTTPRouteTimeouts timeouts) {
    if (timeouts == null) {
      return new HTTPRouteTimeouts(DEFAULT_REQUEST_TIMEOUT, null);
    }
    return timeouts.request() == null
        ? new HTTPRouteTimeouts(DEFAULT_REQUEST_TIMEOUT, timeouts.backendRequest())
        : timeouts;
  }

  /** The costs that can be recorded; what is wrong with the others goes to {@code problems}. */
  private List<LlmRequestCost> costs(
      List<String> problems, String fieldName, List<LLMRequestCost> costs) {
    List<LlmRequestCost> out = new ArrayList<>();
    for (int i = 0; i < costs.size(); i++) {
      LLMRequestCost cost = costs.get(i);
      String field = fieldName + "[" + i + "]";
      LlmRequestCost.Type type;
      try {
        type = LlmRequestCost.Type.valueOf(cost.type());
      } catch (IllegalArgumentException | NullPointerException e) {
        problems.add(field + ".type: unknown cost type " + cost.type());
        continue;
      }
      if (type != LlmRequestCost.Type.CEL) {
        out.add(new LlmRequestCost(cost.metadataKey(), type, null));
        continue;
      }
      if (cost.cel() == null || cost.cel().isBlank()) {
        problems.add(field + ".cel: Required value: a CEL cost needs an expression");
        continue;
      }
      Optional<String> problem = costExpressions.problem(cost.cel());
      if (problem.isPresent()) {
        problems.add(field + ".cel: CEL expression \"" + cost.cel() + "\" " + problem.get());
        continue;
      }
      out.add(new LlmRequestCost(cost.metadataKey(), type, cost.cel()));
    }
    return out;
  }

  private static List<Model> models(Versioned<AIGatewayRoute> route, BitSet leftOutRules) {
    Map<String, Model> models = new LinkedHashMap<>();
    String routeCreated = route.resource().metadata().creationTimestamp();
    List<AIGatewayRouteRule> rules = route.resource().spec().rules();
    for (int i = 0; i < rules.size(); i++) {
      AIGatewayRouteRule rule = rules.get(i);
      if (leftOutRules.get(i)) {
        // a rule left out serves none of its models
        continue;
      }
      String createdAt = timestamp(rule.modelsCreatedAt(), timestamp(routeCreated, EPOCH));
      String ownedBy = rule.modelsOwnedBy() == null ? "Envoy AI Gateway" : rule.modelsOwnedBy();
      for (AIGatewayRouteRuleMatch match : rule.matches()) {
        for (HTTPHeaderMatch header : match.headers()) {
          if (FilterConfig.MODEL_NAME_HEADER_KEY.equalsIgnoreCase(header.name())
              && !"RegularExpression".equals(header.type())) {
            models.putIfAbsent(header.value(), new Model(header.value(), ownedBy, createdAt));
          }
        }
      }
    }
    return List.copyOf(models.values());
  }

  /** RFC 3339 in UTC as {@link Instant#toString()} writes it, or {@code fallback}. */
  private static String timestamp(String text, String fallback) {
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      return Instant.parse(text).toString();
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }
}
