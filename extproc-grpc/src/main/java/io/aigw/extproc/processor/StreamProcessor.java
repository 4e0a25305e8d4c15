package io.aigw.extproc.processor;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.Value;
import io.aigw.core.filterconfig.ApiFamily;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.extproc.auth.CredentialInjector;
import io.aigw.extproc.auth.CredentialOverrides;
import io.aigw.extproc.auth.RequestCredential;
import io.aigw.extproc.quota.QuotaClaim;
import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.ParsedRequest;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.ResponseChunk;
import io.aigw.extproc.translate.Translator;
import io.aigw.extproc.translate.TranslatorFactory;
import io.aigw.extproc.translate.UpstreamRequest;
import io.aigw.extproc.translate.openai.MultipartRequests;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.aigw.extproc.translate.openai.OpenAiRequestParser;
import io.aigw.extproc.usage.CostContext;
import io.aigw.extproc.usage.CostRule;
import io.aigw.extproc.usage.TokenUsage;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The processor of one ext_proc stream (one HTTP request), a state machine over the messages Envoy
 * sends: request headers → request body → response headers → response body chunks. It reads the
 * routing table it was created with, never the current one, and does no I/O: time, randomness and
 * credentials come from its {@link ProcessorEnvironment}. It never throws: a client mistake is an
 * immediate response, a bug is reported to the observer and answered as well as possible. See
 * {@code extproc-grpc/DESIGN.md}. Not thread-safe; one stream's messages arrive in order.
 */
public final class StreamProcessor {

  /** Where the stream is. */
  enum State {
    REQUEST_HEADERS,
    REQUEST_BODY,
    RESPONSE_HEADERS,
    RESPONSE_BODY,
    DONE
  }

  private static final String ORIGINAL_PATH_HEADER = "x-ai-eg-original-path";

  /** Written too, as upstream does: Envoy's default access log shows it in place of the path. */
  private static final String ENVOY_ORIGINAL_PATH_HEADER = "x-envoy-original-path";

  /** A client's agent session, recorded as {@code session.id} in the request's metadata. */
  private static final String SESSION_HEADER = "agent-session-id";

  private static final ClientError NOT_READY =
      ClientError.retrySoon("not_ready", "the gateway has not loaded its configuration yet");

  private static final ClientError TOO_LARGE =
      new ClientError(
          413,
          "invalid_request_error",
          "request_too_large",
          "the request body is larger than the gateway takes ("
              + OpenAiJson.MAX_BODY_BYTES
              + " bytes)");

  private static final ClientError OVERLOADED =
      ClientError.retrySoon(
          "overloaded",
          "the gateway is taking in as many large request bodies as it can hold; retry shortly");

  private final RoutingTable table;
  private final ProcessorEnvironment env;
  private State state = State.REQUEST_HEADERS;
  private Map<String, String> requestHeaders = Map.of();
  private Map<String, Struct> metadataContext = Map.of();
  private ResponseDecoder decoder;
  private String path = "";
  private String authority = "";
  private Endpoint endpoint;
  private ByteArrayOutputStream bodyParts;
  // the large body's bytes held from its request headers, or null
  private RequestBodyBudget.Hold bodyHold;
  // the body's bytes taken from the budget when it arrived, not yet given back
  private long bodyBytesTaken;
  // what aigw configures Envoy with, unless the stream's first message says otherwise: a BUFFERED
  // body is one message, whose end_of_stream is false when trailers follow
  private boolean requestBodyBuffered = true;
  private boolean responseBodyBuffered = true;
  private long requestBodyAt;
  private Route route;
  private BackendChoice choice;
  private ParsedRequest request;
  private Translator translator;
  private String effectiveModel = "";
  // the quota buckets the request draws on at the chosen backend
  private QuotaClaim quotaClaim = QuotaClaim.NONE;
  private int status;
  private boolean streamed;
  private long firstChunkAt = -1;
  private long lastChunkAt;
  private boolean completed;
  private RequestSpan span = RequestSpan.NONE;

  public StreamProcessor(RoutingTable table, ProcessorEnvironment env) {
    this.table = table;
    this.env = env;
  }

  State state() {
    return state;
  }

  /** The answer to one message of the stream. */
  public ProcessingResponse process(ProcessingRequest message) {
    try {
      if (message.hasProtocolConfig()) {
        requestBodyBuffered = oneMessage(message.getProtocolConfig().getRequestBodyMode());
        responseBodyBuffered = oneMessage(message.getProtocolConfig().getResponseBodyMode());
      }
      // read only when the request body is routed: later messages' context is not kept
      if (message.hasMetadataContext() && state.compareTo(State.REQUEST_BODY) <= 0) {
        Map<String, Struct> merged = new HashMap<>(metadataContext);
        merged.putAll(message.getMetadataContext().getFilterMetadataMap());
        metadataContext = merged;
      }
      return switch (message.getRequestCase()) {
        case REQUEST_HEADERS -> onRequestHeaders(message.getRequestHeaders());
        case REQUEST_BODY -> onRequestBody(message.getRequestBody());
        case RESPONSE_HEADERS -> onResponseHeaders(message.getResponseHeaders());
        case RESPONSE_BODY -> onResponseBody(message.getResponseBody());
        default -> ProtoMessages.passThrough(message);
      };
    } catch (RuntimeException e) {
      env.observer().internalError(message.getRequestCase().name(), e);
      return recover(message);
    }
  }

  /** Envoy sends a body in these modes as one message, cut at its buffer limit when partial. */
  private static boolean oneMessage(ProcessingMode.BodySendMode mode) {
    return mode == ProcessingMode.BodySendMode.BUFFERED
        || mode == ProcessingMode.BodySendMode.BUFFERED_PARTIAL;
  }

  /**
   * Whether the exchange is over from the processor's side: its last answer (an immediate response
   * or the one to the end of the response body) has been given, and any further message would only
   * be passed through.
   */
  public boolean expectsNothingMore() {
    return state == State.DONE;
  }

  /** The stream ended; an exchange that did not complete is reported (status 499 if none). */
  public void streamClosed() {
    giveBackBody();
    if (!completed && route != null) {
      traced(() -> span.failed("stream_ended_early", "the stream ended before the answer did"));
      report(status == 0 ? 499 : status, env.nanoClock().getAsLong());
    }
    completed = true;
    state = State.DONE;
  }

  private ProcessingResponse recover(ProcessingRequest message) {
    boolean requestPhase =
        message.hasRequestHeaders() || (message.hasRequestBody() && state == State.REQUEST_BODY);
    if (requestPhase && !completed) {
      return refuse(
          ClientError.server(500, "internal_error", "the gateway failed on this request"));
    }
    if (!completed) {
      traced(() -> span.failed("internal_error", "the gateway failed while passing the answer on"));
    }
    return ProtoMessages.passThrough(message);
  }

  // ---- request headers -------------------------------------------------------------------

  private ProcessingResponse onRequestHeaders(HttpHeaders headers) {
    if (state != State.REQUEST_HEADERS) {
      return ProtoMessages.passThrough(
          ProcessingRequest.newBuilder().setRequestHeaders(headers).build());
    }
    requestHeaders = ProtoMessages.headers(headers.getHeaders());
    path = requestHeaders.getOrDefault(":path", "");
    authority = requestHeaders.getOrDefault(":authority", requestHeaders.getOrDefault("host", ""));
    String method = requestHeaders.getOrDefault(":method", "");
    // the paths, and so the answer to every path, come with the config
    if (!table.loaded()) {
      return refuse(NOT_READY);
    }
    Optional<ServedPaths.Served> served = table.paths().find(path);
    if (served.isEmpty()) {
      // without the query: the message reaches the client and the span, and a query may hold a key
      return refuse(
          ClientError.badRequest(
              "unsupported_path", "unsupported path: " + ServedPaths.withoutQuery(path)));
    }
    if (served.get() instanceof ServedPaths.Models models) {
      return "GET".equals(method) ? models(models.family()) : refuse(methodNotAllowed(method));
    }
    endpoint = ((ServedPaths.Api) served.get()).endpoint();
    if (!"POST".equals(method)) {
      return refuse(methodNotAllowed(method));
    }
    if (headers.getEndOfStream()) {
      return refuse(
          ClientError.badRequest(
              "missing_body",
              (endpoint.multipart() ? "a multipart form" : "a JSON request body")
                  + " is required on "
                  + ServedPaths.withoutQuery(path)));
    }
    long announced = contentLength();
    if (announced > OpenAiJson.MAX_BODY_BYTES) {
      return refuse(TOO_LARGE);
    }
    // refused now, Envoy never sends the body; held, it is counted until forwarded
    if (env.bodies().holdsFromHeaders(announced)) {
      bodyHold = env.bodies().tryHold(announced, env.nanoClock().getAsLong());
      if (bodyHold == null) {
        return overloaded(announced);
      }
    }
    state = State.REQUEST_BODY;
    return ProcessingResponse.newBuilder()
        .setRequestHeaders(HeadersResponse.getDefaultInstance())
        .build();
  }

  private ClientError methodNotAllowed(String method) {
    return new ClientError(
        405,
        "invalid_request_error",
        "method_not_allowed",
        method + " is not allowed on " + ServedPaths.withoutQuery(path));
  }

  private ProcessingResponse models(ApiFamily family) {
    List<Route> routes = table.routesFor(authority);
    byte[] body =
        family == ApiFamily.ANTHROPIC ? ModelList.anthropicBody(routes) : ModelList.body(routes);
    HeaderMutation headers =
        HeaderMutation.newBuilder()
            .addSetHeaders(ProtoMessages.set("content-type", "application/json"))
            .addSetHeaders(ProtoMessages.set("content-length", Integer.toString(body.length)))
            .build();
    completed = true;
    state = State.DONE;
    finish(summary("", "", "models", 200, 0));
    return ProtoMessages.immediate(200, headers, body, "models");
  }

  private ProcessingResponse refuse(ClientError error) {
    return refuse(error, 0);
  }

  /** Answers {@code error} at once; {@code now} times the exchange when it is past its request. */
  private ProcessingResponse refuse(ClientError error, long now) {
    giveBackBody();
    completed = true;
    state = State.DONE;
    String routeRef = route == null ? "" : route.ref();
    String backend = choice == null ? "" : choice.target().metadataName();
    String operation = endpoint == null ? "" : endpoint.operation();
    traced(() -> span.failed(error.code(), error.message()));
    finish(summary(routeRef, backend, operation, error.status(), now));
    return ProtoMessages.immediate(
        error, endpoint == null ? table.paths().errorShapeOf(path) : endpoint.family());
  }

  // ---- request body ----------------------------------------------------------------------

  private ProcessingResponse onRequestBody(HttpBody body) {
    if (state != State.REQUEST_BODY) {
      return ProtoMessages.passThrough(ProcessingRequest.newBuilder().setRequestBody(body).build());
    }
    // a body without content-length (chunked) is measured as it comes
    long partsSize = bodyParts == null ? 0 : bodyParts.size();
    if (partsSize + body.getBody().size() > OpenAiJson.MAX_BODY_BYTES) {
      bodyParts = null;
      return refuse(TOO_LARGE);
    }
    if (!body.getEndOfStream() && !requestBodyBuffered) {
      return bodyPart(body.getBody());
    }
    try {
      byte[] bytes = wholeBody(body.getBody());
      requestBodyAt = env.nanoClock().getAsLong();
      // a body not held from its headers is counted once it is here, before it is parsed
      long untaken = bytes.length - bodyBytesTaken;
      if (!stillHeld(requestBodyAt) && untaken > 0 && !takeBody(untaken)) {
        return overloaded(bytes.length);
      }
      try {
        request =
            endpoint.multipart()
                ? MultipartRequests.parse(
                    endpoint, requestHeaders.getOrDefault("content-type", ""), bytes)
                : OpenAiRequestParser.parse(endpoint, bytes);
      } catch (InvalidRequestException e) {
        return refuse(ClientError.badRequest(e.code(), e.getMessage()));
      }
      span = startSpan();
      Optional<ClientError> unroutable = route();
      if (unroutable.isPresent()) {
        return refuse(unroutable.get());
      }
      return forward();
    } finally {
      giveBackBody();
    }
  }

  /**
   * Keeps a part of a STREAMED body, counted as it comes (unless held from the headers): many large
   * bodies sent part by part would otherwise fill the heap before any of them is whole.
   */
  private ProcessingResponse bodyPart(ByteString part) {
    if (!stillHeld(env.nanoClock().getAsLong()) && !part.isEmpty() && !takeBody(part.size())) {
      bodyParts = null;
      return overloaded(part.size());
    }
    if (bodyParts == null) {
      bodyParts = new ByteArrayOutputStream();
    }
    bodyParts.writeBytes(part.toByteArray());
    return ProcessingResponse.newBuilder()
        .setRequestBody(BodyResponse.getDefaultInstance())
        .build();
  }

  /** The request's {@code content-length}, or 0 when it has none that reads as a number. */
  private long contentLength() {
    String value = requestHeaders.get("content-length");
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private ProcessingResponse overloaded(long bytes) {
    env.observer().overloaded(bytes);
    return refuse(OVERLOADED);
  }

  private boolean stillHeld(long now) {
    return bodyHold != null && env.bodies().holding(bodyHold, now);
  }

  private boolean takeBody(long bytes) {
    if (!env.bodies().tryTake(bytes, bodyBytesTaken)) {
      return false;
    }
    bodyBytesTaken += bytes;
    return true;
  }

  /** Gives back what the body holds or took; once, whichever way the exchange ends. */
  private void giveBackBody() {
    if (bodyHold != null) {
      env.bodies().end(bodyHold);
      bodyHold = null;
    }
    if (bodyBytesTaken > 0) {
      env.bodies().giveBack(bodyBytesTaken);
      bodyBytesTaken = 0;
    }
  }

  private byte[] wholeBody(ByteString last) {
    if (bodyParts == null) {
      return last.toByteArray();
    }
    bodyParts.writeBytes(last.toByteArray());
    byte[] all = bodyParts.toByteArray();
    bodyParts = null;
    return all;
  }

  /** Chooses route, rule and backend; an error when there is none. */
  private Optional<ClientError> route() {
    String model = request.model();
    RouteRule rule = null;
    for (Route candidate : table.routesFor(authority)) {
      Optional<RouteRule> match = candidate.firstMatch(ruleHeaders(candidate, model));
      if (match.isPresent()) {
        route = candidate;
        rule = match.get();
        break;
      }
    }
    if (rule == null) {
      return Optional.of(
          ClientError.notFound(
              "no_matching_route",
              "no matching route found for model \""
                  + request.model()
                  + "\" on "
                  + ServedPaths.withoutQuery(path)));
    }
    long now = env.nanoClock().getAsLong();
    List<BackendChoice> candidates = rule.backends();
    QuotaScreen screen = null;
    if (rule.hasQuota()) {
      screen =
          QuotaScreen.of(
              candidates, model, ruleHeaders(route, model), env.quotas(), env.wallClock().millis());
      if (screen.open().isEmpty() && !candidates.isEmpty()) {
        return Optional.of(quotaSpent(rule, model, screen));
      }
      candidates = screen.open();
    }
    Optional<BackendChoice> picked =
        BackendSelector.select(candidates, env.health(), now, env.random().getAsDouble());
    if (picked.isEmpty()) {
      return Optional.of(
          ClientError.server(
              503,
              "no_backend",
              "rule " + rule.name() + " of route " + route.ref() + " has no backend"));
    }
    choice = picked.get();
    effectiveModel = choice.modelNameOverride().orElse(request.model());
    quotaClaim = screen == null ? QuotaClaim.NONE : screen.claimOf(choice);
    return Optional.empty();
  }

  /**
   * The request's headers as a rule's matches see them: with the route's model header set, without
   * copying them per request.
   */
  private Function<String, String> ruleHeaders(Route matched, String model) {
    String modelHeader = matched.modelHeader();
    return name -> name.equals(modelHeader) ? model : requestHeaders.get(name);
  }

  private static ClientError quotaSpent(RouteRule rule, String model, QuotaScreen screen) {
    int retryAfter = screen.retryAfterSeconds();
    return new ClientError(
        429,
        "tokens",
        "quota_exceeded",
        "the token quota for model \""
            + model
            + "\" is used up on every backend of rule "
            + rule.name()
            + " (QuotaPolicy "
            + String.join(", ", screen.spentPolicies())
            + "); retry in "
            + retryAfter
            + " s",
        retryAfter);
  }

  private ProcessingResponse forward() {
    BackendTarget target = choice.target();
    Optional<Translator> created = TranslatorFactory.create(endpoint, target.schema());
    if (created.isEmpty()) {
      return refuse(
          ClientError.server(
              500,
              "unsupported_backend_schema",
              "backend "
                  + target.name()
                  + " ("
                  + target.schema().name()
                  + ") cannot serve "
                  + ServedPaths.withoutQuery(path)));
    }
    translator = created.get();
    // chat completions only, as upstream: a strict server may refuse the option on completions,
    // and OpenAI refuses it on the Responses API, whose streams end with their usage anyway; asked
    // when a cost or a quota budget needs the usage
    boolean inject =
        endpoint == Endpoint.CHAT_COMPLETIONS
            && request.stream()
            && !request.clientAskedForUsage()
            && (!route.costs().isEmpty() || !quotaClaim.isEmpty());
    UpstreamRequest upstream;
    try {
      upstream =
          translator.request(
              request,
              new RequestPlan(
                  target.schema(),
                  choice.modelNameOverride(),
                  inject,
                  target.auth(),
                  env.wallClock().instant().getEpochSecond(),
                  requestHeaders));
    } catch (InvalidRequestException e) {
      return refuse(new ClientError(422, "invalid_request_error", e.code(), e.getMessage()));
    }
    Optional<byte[]> newBody =
        upstream.rawBody().isPresent() || endpoint.multipart()
            ? upstream.rawBody()
            : BodyMutator.upstreamBody(upstream.body(), request.body(), choice.bodyMutation());
    return authorize(target, upstream, newBody);
  }

  /** The credential a request brought (if any), or why it must be refused. */
  private record Supplied(Optional<RequestCredential> credential, Optional<ClientError> error) {
    static final Supplied NONE = new Supplied(Optional.empty(), Optional.empty());

    static Supplied refused(ClientError error) {
      return new Supplied(Optional.empty(), Optional.of(error));
    }
  }

  private Supplied suppliedCredential(BackendTarget target) {
    if (target.credentialOverride().isEmpty()) {
      return Supplied.NONE;
    }
    CredentialOverrides.Lookup lookup =
        CredentialOverrides.read(
            target.credentialOverride().get(),
            target.auth().orElse(null) instanceof io.aigw.core.filterconfig.BackendAuth.Aws,
            requestHeaders,
            metadataContext);
    if (lookup instanceof CredentialOverrides.Lookup.Invalid invalid) {
      return Supplied.refused(
          ClientError.server(500, "invalid_upstream_credential", invalid.reason()));
    }
    if (lookup instanceof CredentialOverrides.Lookup.Found found) {
      return new Supplied(Optional.of(found.credential()), Optional.empty());
    }
    return target.credentialOverride().get().fallbackToConfigured()
        ? Supplied.NONE
        : Supplied.refused(
            new ClientError(
                401,
                "authentication_error",
                "missing_upstream_credential",
                "missing upstream credential"));
  }

  private ProcessingResponse authorize(
      BackendTarget target, UpstreamRequest upstream, Optional<byte[]> newBody) {
    Supplied supplied = suppliedCredential(target);
    if (supplied.error().isPresent()) {
      return refuse(supplied.error().get());
    }
    CredentialInjector.Outcome auth =
        CredentialInjector.headers(
            target.auth(),
            env.credentials(),
            new CredentialInjector.Outbound(
                requestHeaders.getOrDefault(":method", "POST"),
                upstream.path(),
                newBody.orElse(request.body())),
            supplied.credential(),
            env.wallClock());
    if (auth instanceof CredentialInjector.Outcome.Unavailable unavailable) {
      env.observer().credentialUnavailable(target.metadataName(), unavailable.reason());
      return refuse(
          ClientError.server(
              500,
              "missing_upstream_credential",
              "the gateway has no credential for " + target.name()));
    }
    HeaderMutation headers =
        upstreamHeaders(upstream, ((CredentialInjector.Outcome.Headers) auth).headers(), newBody);
    CommonResponse.Builder common =
        CommonResponse.newBuilder().setHeaderMutation(headers).setClearRouteCache(true);
    newBody.ifPresent(
        // the new body is ours and never changed after: wrapped, not copied (it may be 50 MiB)
        b ->
            common.setBodyMutation(
                BodyMutation.newBuilder().setBody(UnsafeByteOperations.unsafeWrap(b))));
    request = request.withoutBody();
    state = State.RESPONSE_HEADERS;
    return ProcessingResponse.newBuilder()
        .setRequestBody(BodyResponse.newBuilder().setResponse(common))
        .setDynamicMetadata(ProtoMessages.metadata(route.metadataNamespace(), requestMetadata()))
        .build();
  }

  /**
   * What the request's log line and filters can know before the answer: the backend chosen, under
   * upstream's full name, and the agent session the client named.
   */
  private Map<String, Value> requestMetadata() {
    Map<String, Value> fields = new LinkedHashMap<>();
    fields.put("backend_name", ProtoMessages.string(choice.fullName()));
    String session = requestHeaders.get(SESSION_HEADER);
    if (session != null && !session.isEmpty()) {
      fields.put("session.id", ProtoMessages.string(session));
    }
    return fields;
  }

  private HeaderMutation upstreamHeaders(
      UpstreamRequest upstream,
      List<CredentialInjector.AuthHeader> auth,
      Optional<byte[]> newBody) {
    HeaderMutation.Builder out = HeaderMutation.newBuilder();
    choice
        .target()
        .credentialOverride()
        .ifPresent(o -> o.inputHeadersToRemove().forEach(out::addRemoveHeaders));
    for (String name : choice.headerMutation().remove()) {
      if (mutable(name)) {
        out.addRemoveHeaders(name.toLowerCase(java.util.Locale.ROOT));
      }
    }
    out.addSetHeaders(ProtoMessages.set(route.modelHeader(), request.model()));
    out.addSetHeaders(ProtoMessages.set(route.selectedBackendHeader(), choice.target().name()));
    // Envoy picks the HTTPRoute rule, with its timeouts, on this too: never on a client's value
    if (choice.backendRule().isPresent()) {
      out.addSetHeaders(
          ProtoMessages.set(FilterConfig.BACKEND_RULE_HEADER, choice.backendRule().get()));
    } else {
      out.addRemoveHeaders(FilterConfig.BACKEND_RULE_HEADER);
    }
    out.addSetHeaders(ProtoMessages.set(ORIGINAL_PATH_HEADER, path));
    out.addSetHeaders(ProtoMessages.set(ENVOY_ORIGINAL_PATH_HEADER, path));
    out.addSetHeaders(ProtoMessages.set(":path", upstream.path()));
    // before the backend's own headers, which an operator may have set to override these
    traced(
        () -> {
          span.headersToRemove().forEach(out::addRemoveHeaders);
          span.propagationHeaders()
              .forEach((name, value) -> out.addSetHeaders(ProtoMessages.set(name, value)));
        });
    for (UpstreamRequest.Header header : upstream.headers()) {
      out.addSetHeaders(ProtoMessages.set(header.name(), header.value()));
    }
    // Envoy applies the set headers in order: the backend's own set overrides the translator's
    // (an anthropic-version the operator pins, say), and the credential comes last
    for (io.aigw.core.filterconfig.HeaderMutation.Header header : choice.headerMutation().set()) {
      if (mutable(header.name())) {
        out.addSetHeaders(
            ProtoMessages.set(header.name().toLowerCase(java.util.Locale.ROOT), header.value()));
      }
    }
    for (CredentialInjector.AuthHeader header : auth) {
      out.addSetHeaders(ProtoMessages.set(header.name(), header.value()));
    }
    // the gateway brings the credential: the client's own, often a token of this gateway's (Claude
    // Code sends its key as x-api-key, OpenAI SDKs as authorization), is not the provider's to see
    if (!auth.isEmpty()) {
      for (String name : CredentialHeaders.CLIENT) {
        if (auth.stream().noneMatch(h -> h.name().equals(name))) {
          out.addRemoveHeaders(name);
        }
      }
    }
    newBody.ifPresent(
        b -> out.addSetHeaders(ProtoMessages.set("content-length", Integer.toString(b.length))));
    return out.build();
  }

  /**
   * Gateway-owned and pseudo headers cannot be changed by a backend's header mutation, nor the
   * route's model and selected-backend headers under whatever names the config gives them: Envoy
   * routes on the latter once the route cache is cleared.
   */
  private boolean mutable(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return !lower.startsWith(":")
        && !lower.startsWith("x-ai-eg-")
        && !lower.equals("x-envoy-original-path")
        && !lower.equals(FilterConfig.BACKEND_RULE_HEADER)
        && !lower.equals(route.modelHeader())
        && !lower.equals(route.selectedBackendHeader());
  }

  // ---- response --------------------------------------------------------------------------

  private ProcessingResponse onResponseHeaders(HttpHeaders headers) {
    if (state != State.RESPONSE_HEADERS) {
      return ProtoMessages.passThrough(
          ProcessingRequest.newBuilder().setResponseHeaders(headers).build());
    }
    Map<String, String> responseHeaders = ProtoMessages.headers(headers.getHeaders());
    status = parseStatus(responseHeaders.get(":status"));
    long now = env.nanoClock().getAsLong();
    streamed = request.stream() && status == 200;
    // a buffered 2xx answer's health is known once its body is read: a proxy's 200 page is a
    // failure (see onResponseBody); an answer without a body has none to read
    if (streamed || !success() || headers.getEndOfStream()) {
      env.health().record(choice.target().name(), status, now);
    }
    decoder = ResponseDecoder.forEncoding(responseHeaders.get("content-encoding")).orElse(null);
    HeaderMutation.Builder mutation = HeaderMutation.newBuilder();
    if (decoder != null && streamed) {
      // which chunks a translator rewrites is known only as they come: the client gets it all plain
      mutation.addRemoveHeaders("content-encoding");
    }
    for (UpstreamRequest.Header header : translator.responseHeaders(status, responseHeaders)) {
      mutation.addSetHeaders(ProtoMessages.set(header.name(), header.value()));
    }
    ProcessingResponse.Builder out = ProcessingResponse.newBuilder();
    if (streamed) {
      mutation.addRemoveHeaders("content-length");
      out.setModeOverride(
          ProcessingMode.newBuilder().setResponseBodyMode(ProcessingMode.BodySendMode.STREAMED));
    }
    out.setResponseHeaders(
        HeadersResponse.newBuilder()
            .setResponse(CommonResponse.newBuilder().setHeaderMutation(mutation)));
    state = State.RESPONSE_BODY;
    if (headers.getEndOfStream()) {
      complete(out, now);
    }
    return out.build();
  }

  private static int parseStatus(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private boolean success() {
    return status >= 200 && status < 300;
  }

  private ProcessingResponse onResponseBody(HttpBody body) {
    if (state != State.RESPONSE_BODY) {
      return ProtoMessages.passThrough(
          ProcessingRequest.newBuilder().setResponseBody(body).build());
    }
    long now = env.nanoClock().getAsLong();
    boolean end = body.getEndOfStream() || (!streamed && responseBodyBuffered);
    byte[] chunk = body.getBody().toByteArray();
    byte[] plain = decoder == null ? chunk : decoder.decode(chunk, end);
    ResponseChunk result;
    if (success()) {
      if (streamed && (chunk.length > 0 || firstChunkAt >= 0)) {
        firstChunkAt = firstChunkAt < 0 ? now : firstChunkAt;
        lastChunkAt = now;
      }
      result = translator.responseBody(plain, end);
    } else {
      result = translator.errorBody(status, plain, end);
    }
    boolean unreadable = result.unreadable().isPresent() && !streamed;
    if (end && !streamed && success()) {
      env.health().record(choice.target().name(), unreadable ? 502 : status, now);
    }
    if (unreadable) {
      // the headers are still Envoy's: the client gets a 502 in its API's shape, never the
      // provider's bytes under a 200 that its SDK fails to read
      return refuse(
          ClientError.server(502, "bad_provider_response", result.unreadable().get()), now);
    }
    if (decoder != null && streamed && result.replacement().isEmpty()) {
      result = ResponseChunk.replacedBy(plain);
    }
    CommonResponse.Builder common = CommonResponse.newBuilder();
    if (result.replacement().isPresent()) {
      byte[] replacement = result.replacement().get();
      common.setBodyMutation(BodyMutation.newBuilder().setBody(ByteString.copyFrom(replacement)));
      if (!streamed) {
        HeaderMutation.Builder headers =
            HeaderMutation.newBuilder()
                .addSetHeaders(
                    ProtoMessages.set("content-length", Integer.toString(replacement.length)));
        if (decoder != null) {
          headers.addRemoveHeaders("content-encoding");
        }
        common.setHeaderMutation(headers);
      }
    }
    ProcessingResponse.Builder out =
        ProcessingResponse.newBuilder()
            .setResponseBody(BodyResponse.newBuilder().setResponse(common));
    if (end) {
      complete(out, now);
    }
    return out.build();
  }

  // ---- completion ------------------------------------------------------------------------

  private void complete(ProcessingResponse.Builder out, long now) {
    if (completed) {
      return;
    }
    if (success()) {
      OptionalLong quotaCost = chargeQuota();
      Map<String, Value> fields = metadata();
      // as upstream names it: an Envoy Gateway global rate limit can count it across replicas
      quotaCost.ifPresent(cost -> fields.put("quota_cost", ProtoMessages.number(cost)));
      out.setDynamicMetadata(ProtoMessages.metadata(route.metadataNamespace(), fields));
    }
    report(status, now);
    completed = true;
    state = State.DONE;
  }

  /**
   * Draws a successful response's cost from the buckets its request drew on; the cost of the
   * model's quota, when one applied.
   */
  private OptionalLong chargeQuota() {
    if (quotaClaim.isEmpty()) {
      return OptionalLong.empty();
    }
    return quotaClaim.charge(
        env.quotas(),
        translator.usage(),
        new CostContext(effectiveModel, choice.fullName(), route.ref()),
        env.wallClock().millis(),
        (policy, e) -> env.observer().internalError("quota of " + policy, e),
        env.observer()::quotaNotCounted);
  }

  private Map<String, Value> metadata() {
    Map<String, Value> fields = new LinkedHashMap<>();
    TokenUsage usage = translator.usage();
    CostContext context = new CostContext(effectiveModel, choice.fullName(), route.ref());
    for (CostRule cost : route.costs()) {
      try {
        fields.put(cost.metadataKey(), ProtoMessages.number(cost.evaluate(usage, context)));
      } catch (CostRule.CostEvaluationException e) {
        env.observer().internalError("cost " + cost.metadataKey(), e);
      }
    }
    fields.put("model_name_override", ProtoMessages.string(effectiveModel));
    fields.put("ai_service_backend_name", ProtoMessages.string(choice.target().metadataName()));
    fields.put("route_name", ProtoMessages.string(route.ref()));
    translator
        .responseModel()
        .ifPresent(m -> fields.put("response_model", ProtoMessages.string(m)));
    if (streamed) {
      // both keys on every stream, 0 when there was nothing to time, as upstream emits them
      long ttft = firstChunkAt >= 0 ? firstChunkAt - requestBodyAt : 0;
      fields.put("token_latency_ttft", ProtoMessages.number(millis(ttft)));
      fields.put("token_latency_itl", ProtoMessages.number(millis(perTokenNanos(usage).orElse(0))));
    }
    return fields;
  }

  private OptionalLong perTokenNanos(TokenUsage usage) {
    long output = usage.outputOrZero();
    if (firstChunkAt < 0 || output <= 1) {
      return OptionalLong.empty();
    }
    return OptionalLong.of((lastChunkAt - firstChunkAt) / (output - 1));
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }

  private void report(int finalStatus, long now) {
    String backend = choice == null ? "" : choice.target().metadataName();
    finish(summary(route.ref(), backend, endpoint.operation(), finalStatus, now));
  }

  /** The exchange is over: told to the observer, and its span ended whatever the observer did. */
  private void finish(ExchangeSummary summary) {
    RequestSpan ending = span;
    span = RequestSpan.NONE;
    try {
      env.observer().completed(summary);
    } finally {
      traced(() -> ending.end(summary));
    }
  }

  /** A span that fails costs the request its trace, never its answer. */
  private void traced(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      env.observer().internalError("tracing", e);
    }
  }

  /** The request's span; a tracer that fails costs the request its span, never its answer. */
  private RequestSpan startSpan() {
    try {
      return env.tracer()
          .start(
              endpoint.operation(),
              request.model(),
              requestHeaders,
              table.credentialOverrideHeaders());
    } catch (RuntimeException e) {
      env.observer().internalError("tracing", e);
      return RequestSpan.NONE;
    }
  }

  private ExchangeSummary summary(
      String routeRef, String backend, String operation, int finalStatus, long now) {
    TokenUsage usage = translator == null ? TokenUsage.NONE : translator.usage();
    boolean timed = streamed && firstChunkAt >= 0;
    return new ExchangeSummary(
        routeRef,
        backend,
        choice == null ? "" : GenAiProvider.of(choice.target()),
        operation,
        request == null ? "" : request.model(),
        effectiveModel,
        translator == null ? "" : translator.responseModel().orElse(""),
        finalStatus,
        usage,
        streamed,
        timed ? OptionalLong.of(firstChunkAt - requestBodyAt) : OptionalLong.empty(),
        timed ? perTokenNanos(usage) : OptionalLong.empty(),
        now == 0 || requestBodyAt == 0 ? 0 : now - requestBodyAt,
        requestHeaders.isEmpty()
            ? RequestHeaders.NONE
            : new RequestHeaders(requestHeaders, table.credentialOverrideHeaders()));
  }
}
