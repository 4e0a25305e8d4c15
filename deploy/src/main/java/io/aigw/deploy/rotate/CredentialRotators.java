package io.aigw.deploy.rotate;

import io.aigw.core.event.RotationOutcome;
import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.core.model.BackendSecurityPolicyOIDC;
import io.aigw.core.model.OIDC;
import io.aigw.core.model.SecretObjectReference;
import io.aigw.core.model.gateway.Names;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates short-lived backend credentials into the Secret {@code ai-eg-bsp-<policy>} that the
 * ExtProc reads: AWS (OIDC token → STS {@code AssumeRoleWithWebIdentity} → credentials file, key
 * {@code credentials}), Azure (client secret or OIDC token → Entra ID token, key {@code
 * azureAccessToken}) and GCP (OIDC token → workload identity federation → the impersonated service
 * account's token when the policy names one, key {@code gcpAccessToken}). A credential is renewed
 * five minutes before it expires (annotation {@code rotators/expiration-time}), or at half its
 * lifetime when that is later; a Secret that is gone or owned by another policy (one deleted and
 * made again under the same name) is written again within about six checks. An exchange fails after
 * a minute without connecting or a minute of silence, a whole rotation after three, and one that
 * timed out writes nothing later. A failed rotation is retried with backoff from 1 s doubling to 1
 * min. The first failure of a run is a Kubernetes Event on the policy; a failure the log does not
 * hold yet, and the success that ends a run, are recorded ({@link RotationRecorder}) for the
 * policy's status. Values are logged only as SHA-256 digests.
 *
 * <pre>{@code
 * CredentialRotators rotators = CredentialRotators.start(vertx, client,
 *     () -> world.backendSecurityPolicies(), world, log::record, RotationEndpoints.PUBLIC_CLOUDS);
 * ...
 * rotators.stop();
 * }</pre>
 */
public final class CredentialRotators {

  private static final Logger log = LoggerFactory.getLogger(CredentialRotators.class);

  /** Renew this long before expiry. */
  public static final Duration PRE_ROTATION = Duration.ofMinutes(5);

  public static final String EXPIRATION_ANNOTATION = "rotators/expiration-time";

  private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  /** How many checks pass between two looks at a Secret the fold says is gone. */
  private static final int LOST_RECHECK_TICKS = 6;

  private final Vertx vertx;
  private final KubernetesClient client;
  private final Supplier<? extends Collection<BackendSecurityPolicy>> policies;
  private final RotationEndpoints endpoints;
  private final Clock clock;
  private final HttpClient http;
  private final TokenExchanges exchanges;
  private final RotationView view;
  private final RotationEvents events;
  private final RotationRecorder recorder;
  private final Duration timeout;
  private final Duration lostRecheck;
  // by policy uid: a policy deleted and made again under the same name starts afresh
  private final Map<String, Schedule> schedules = new ConcurrentHashMap<>();
  // by policy uid too: the outcome these rotators last recorded
  private final Map<String, RotationOutcome> recorded = new ConcurrentHashMap<>();
  private final long timer;
  private volatile boolean stopped;
  // counts rotations started; read and written on the timer's context only
  private long attempts;

  /**
   * @param next when the credential is next due
   * @param checked when the Secret was last looked at
   * @param attempt which rotation runs, while one does: one that timed out must not write
   */
  private record Schedule(
      Instant next, Duration backoff, boolean running, Instant checked, long attempt) {
    static final Schedule FIRST = new Schedule(Instant.MIN, MIN_BACKOFF, false, Instant.MIN, 0);
  }

  private CredentialRotators(
      Vertx vertx,
      KubernetesClient client,
      Supplier<? extends Collection<BackendSecurityPolicy>> policies,
      RotationView view,
      RotationRecorder recorder,
      RotationEndpoints endpoints,
      RotationTiming timing) {
    this.vertx = vertx;
    this.client = client;
    this.policies = policies;
    this.endpoints = endpoints;
    this.view = view;
    this.events = new RotationEvents(client);
    this.recorder = recorder;
    this.clock = timing.clock();
    this.timeout = timing.exchangeTimeout();
    this.lostRecheck = timing.checkEvery().multipliedBy(LOST_RECHECK_TICKS);
    this.http = vertx.createHttpClient();
    this.exchanges = new TokenExchanges(http, clock, timeout);
    this.timer = vertx.setPeriodic(0, timing.checkEvery().toMillis(), id -> tick());
  }

  /**
   * Starts rotating the credentials of the policies {@code policies} returns, checked every 5 s.
   */
  public static CredentialRotators start(
      Vertx vertx,
      KubernetesClient client,
      Supplier<? extends Collection<BackendSecurityPolicy>> policies,
      RotationView view,
      RotationRecorder recorder,
      RotationEndpoints endpoints) {
    return start(vertx, client, policies, view, recorder, endpoints, RotationTiming.DEFAULT);
  }

  /**
   * As {@link #start(Vertx, KubernetesClient, Supplier, RotationView, RotationRecorder,
   * RotationEndpoints)}.
   */
  public static CredentialRotators start(
      Vertx vertx,
      KubernetesClient client,
      Supplier<? extends Collection<BackendSecurityPolicy>> policies,
      RotationView view,
      RotationRecorder recorder,
      RotationEndpoints endpoints,
      RotationTiming timing) {
    return new CredentialRotators(vertx, client, policies, view, recorder, endpoints, timing);
  }

  /**
   * Stops checking. A rotation in flight writes nothing more: another replica may lead by the time
   * it would.
   */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return http.close();
  }

  private void tick() {
    if (stopped) {
      return;
    }
    Instant now = clock.instant();
    Set<String> current = new HashSet<>();
    for (BackendSecurityPolicy policy : policies.get()) {
      if (PolicyKind.of(policy).isEmpty()) {
        continue;
      }
      String ns = policy.metadata().namespace();
      String uid = policy.metadata().uid();
      String key = uid != null && !uid.isEmpty() ? uid : ns + "/" + policy.metadata().name();
      current.add(key);
      Schedule schedule = schedules.getOrDefault(key, Schedule.FIRST);
      if (schedule.running()) {
        continue;
      }
      boolean due = !now.isBefore(schedule.next());
      // a Secret the fold lacks is looked at, at most every few checks, unless failing already
      boolean lost =
          !due
              && schedule.backoff().equals(MIN_BACKOFF)
              && !now.isBefore(schedule.checked().plus(lostRecheck))
              && !view.holds(ns, Names.rotatedSecret(policy.metadata().name()), uid);
      if (!due && !lost) {
        continue;
      }
      long attempt = ++attempts;
      schedules.put(key, new Schedule(schedule.next(), schedule.backoff(), true, now, attempt));
      rotateIfDue(policy, now, due ? Optional.empty() : Optional.of(schedule.next()), key, attempt)
          // whatever hangs (an exchange, a Kubernetes call) ends, or the policy is never retried
          .timeout(timeout.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS)
          .onSuccess(
              next -> {
                schedules.put(key, new Schedule(next, MIN_BACKOFF, false, now, 0));
                recordRotated(policy, key);
              })
          .onFailure(error -> failed(policy, key, schedule.backoff(), now, error));
    }
    // policies gone: their schedules go too, unless a rotation still runs
    schedules.entrySet().removeIf(e -> !current.contains(e.getKey()) && !e.getValue().running());
    recorded.keySet().removeIf(k -> !schedules.containsKey(k));
  }

  /**
   * After a failed rotation of {@code policy}: logs it, records it (an Event once per run of
   * failures, the log when it does not hold it yet) and schedules the retry after {@code backoff},
   * the next one after twice that, at most {@link #MAX_BACKOFF}.
   */
  private void failed(
      BackendSecurityPolicy policy,
      String key,
      Duration backoff,
      Instant checked,
      Throwable error) {
    String reason = reasonOf(error);
    log.atWarn()
        .addKeyValue("policy", policy.metadata().namespace() + "/" + policy.metadata().name())
        .addKeyValue("retryIn", backoff)
        .addKeyValue("reason", reason)
        .log("credential rotation failed");
    boolean first = backoff.equals(MIN_BACKOFF);
    if (first && !stopped) {
      // once per run of failures, not at every retry
      blocking(
          () -> {
            events.failed(policy, reason, clock.instant());
            return null;
          });
    }
    recordFailed(policy, key, reason, first);
    Duration doubled = backoff.multipliedBy(2);
    schedules.put(
        key,
        new Schedule(
            // from the failure: one slower than its backoff must not retry at once
            clock.instant().plus(backoff),
            doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled,
            false,
            checked,
            0));
  }

  /**
   * Why a rotation failed, in words that may be kept for good (the log, the policy's status). An
   * API server's refusal is told by its code and reason only: its message may quote what was sent,
   * which for a rotated Secret is the credential.
   */
  static String reasonOf(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof KubernetesClientException refused) {
      String why =
          refused.getStatus() != null && refused.getStatus().getReason() != null
              ? " " + refused.getStatus().getReason()
              : "";
      return "the Kubernetes API answered " + refused.getCode() + why;
    }
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }

  /**
   * Records a failure for the policy's status unless it is recorded already: for this policy and
   * generation, and, at the first failure of a run, for the same reason (a reason that changes at
   * every retry is not recorded at every retry).
   */
  private void recordFailed(
      BackendSecurityPolicy policy, String key, String reason, boolean first) {
    if (stopped) {
      return;
    }
    Optional<RotationOutcome> last = lastRecorded(policy, key);
    boolean same =
        last.isPresent()
            && last.get().failed()
            && last.get().uid().equals(policy.metadata().uidOrEmpty())
            && last.get().generation() == policy.metadata().generationOrZero();
    if (!same || (first && !last.get().failure().equals(reason))) {
      record(policy, key, reason);
    }
  }

  /** Records a success when the last outcome recorded for the policy is a failure. */
  private void recordRotated(BackendSecurityPolicy policy, String key) {
    if (!stopped && lastRecorded(policy, key).filter(RotationOutcome::failed).isPresent()) {
      record(policy, key, "");
    }
  }

  /**
   * What was last recorded for the policy: by these rotators, else, after a leader change, the
   * failure the fold holds. The rotators' own record comes first because the fold may not have
   * reached their last entry yet.
   */
  private Optional<RotationOutcome> lastRecorded(BackendSecurityPolicy policy, String key) {
    RotationOutcome own = recorded.get(key);
    return own != null
        ? Optional.of(own)
        : view.failure(policy.metadata().namespace(), policy.metadata().name());
  }

  private void record(BackendSecurityPolicy policy, String key, String failure) {
    // kept to compare with: the entry itself, with its source, is the recorder's to make
    recorded.put(key, RotationOutcome.of("", policy, failure));
    recorder.record(policy, failure);
  }

  /**
   * Rotates when the Secret is missing, owned by another policy, or within the pre-rotation window;
   * the next check time. {@code scheduled} is the check time already set when the fold merely
   * lacked the Secret: one the API server has, owned and not yet expired, keeps it.
   */
  private Future<Instant> rotateIfDue(
      BackendSecurityPolicy policy,
      Instant now,
      Optional<Instant> scheduled,
      String key,
      long attempt) {
    String ns = policy.metadata().namespace();
    String name = Names.rotatedSecret(policy.metadata().name());
    return blocking(() -> client.secrets().inNamespace(ns).withName(name).get())
        .compose(
            existing -> {
              Optional<Instant> expiry = expiry(existing);
              boolean owned = expiry.isPresent() && ownedBy(existing, policy.metadata().uid());
              if (owned && now.isBefore(expiry.get().minus(PRE_ROTATION))) {
                return Future.succeededFuture(expiry.get().minus(PRE_ROTATION));
              }
              if (owned && scheduled.isPresent() && now.isBefore(expiry.get())) {
                return Future.succeededFuture(scheduled.get());
              }
              return rotate(policy).compose(c -> write(policy, name, c, now, key, attempt));
            });
  }

  /** Whether attempt {@code attempt} is still the one running for {@code key}. */
  private boolean current(String key, long attempt) {
    Schedule schedule = schedules.get(key);
    return !stopped && schedule != null && schedule.running() && schedule.attempt() == attempt;
  }

  /** Whether {@code secret} names the policy of uid {@code uid} as its owner (any when null). */
  private static boolean ownedBy(Secret secret, String uid) {
    return uid == null
        || uid.isEmpty()
        || secret.getMetadata().getOwnerReferences().stream()
            .anyMatch(owner -> uid.equals(owner.getUid()));
  }

  private static Optional<Instant> expiry(Secret secret) {
    if (secret == null || secret.getMetadata().getAnnotations() == null) {
      return Optional.empty();
    }
    String value = secret.getMetadata().getAnnotations().get(EXPIRATION_ANNOTATION);
    try {
      return value == null ? Optional.empty() : Optional.of(Instant.parse(value));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private Future<RotatedCredential> rotate(BackendSecurityPolicy policy) {
    PolicyKind kind = PolicyKind.of(policy).orElseThrow();
    var spec = policy.spec();
    return switch (kind) {
      case AWS_OIDC -> {
        var aws = spec.awsCredentials();
        yield oidcToken(policy, aws.oidcExchangeToken().oidc())
            .compose(
                token ->
                    exchanges.assumeRole(
                        endpoints.awsSts(aws.region()),
                        endpoints.awsStsProxyOptions(),
                        aws.oidcExchangeToken().awsRoleArn(),
                        "ai-gateway-" + policy.metadata().name(),
                        token,
                        aws.region()));
      }
      case AZURE -> {
        var azure = spec.azureCredentials();
        if (azure.clientSecretRef() != null) {
          yield secretValue(policy, azure.clientSecretRef(), "client-secret")
              .compose(
                  secret ->
                      exchanges.azureToken(
                          endpoints.azureLogin(),
                          azure.tenantID(),
                          azure.clientID(),
                          secret,
                          null));
        }
        yield oidcToken(policy, azure.oidcExchangeToken().oidc())
            .compose(
                token ->
                    exchanges.azureToken(
                        endpoints.azureLogin(), azure.tenantID(), azure.clientID(), null, token));
      }
      case GCP_WIF -> gcpToken(policy);
    };
  }

  /**
   * Workload identity federation: the OIDC token for a federated token, then, when the policy
   * impersonates a service account, that for the account's own token.
   */
  private Future<RotatedCredential> gcpToken(BackendSecurityPolicy policy) {
    var gcp = policy.spec().gcpCredentials();
    var wif = gcp.workloadIdentityFederationConfig();
    String audience =
        "//iam.googleapis.com/projects/"
            + wif.projectID()
            + "/locations/global/workloadIdentityPools/"
            + wif.workloadIdentityPoolName()
            + "/providers/"
            + wif.workloadIdentityProviderName();
    BackendSecurityPolicyOIDC oidc = wif.oidcExchangeToken();
    Future<RotatedCredential> federated =
        oidcToken(policy, oidc.oidc())
            .compose(token -> exchanges.gcpToken(endpoints.gcpSts(), audience, token));
    var impersonation = wif.serviceAccountImpersonation();
    if (impersonation == null
        || impersonation.serviceAccountName() == null
        || impersonation.serviceAccountName().isEmpty()) {
      return federated;
    }
    String name = impersonation.serviceAccountName();
    String account =
        name.contains("@") ? name : name + "@" + gcp.projectName() + ".iam.gserviceaccount.com";
    return federated.compose(
        token ->
            exchanges.gcpImpersonated(
                endpoints.gcpIamCredentials(), account, token.data().get("gcpAccessToken")));
  }

  /**
   * A client-credentials token, as upstream's rotators get it: when the provider names an issuer,
   * its discovery document gives the token endpoint (unless {@code tokenEndpoint} is set) and every
   * scope it supports is asked for after the policy's own. A discovery that fails fails the
   * rotation only when the endpoint must come from it.
   */
  private Future<String> oidcToken(BackendSecurityPolicy policy, OIDC oidc) {
    String issuer = oidc.provider().issuer();
    String tokenEndpoint = oidc.provider().tokenEndpoint();
    boolean endpointSet = tokenEndpoint != null && !tokenEndpoint.isEmpty();
    TokenExchanges.Discovery none = new TokenExchanges.Discovery(null, List.of());
    Future<TokenExchanges.Discovery> discovery =
        issuer != null && !issuer.isEmpty()
            // with the endpoint set, an issuer that serves no discovery document only adds no
            // scopes (upstream fails the rotation)
            ? exchanges
                .discover(issuer)
                .recover(e -> endpointSet ? Future.succeededFuture(none) : Future.failedFuture(e))
            : Future.succeededFuture(none);
    Future<String> clientId =
        oidc.clientID() != null
            ? Future.succeededFuture(oidc.clientID())
            : secretValue(policy, oidc.clientIDRef(), "client-id");
    return Future.all(
            discovery, clientId, secretValue(policy, oidc.clientSecret(), "client-secret"))
        .compose(
            all -> {
              TokenExchanges.Discovery found = all.resultAt(0);
              String endpoint = endpointSet ? tokenEndpoint : found.tokenEndpoint();
              if (endpoint == null || endpoint.isEmpty()) {
                return Future.failedFuture("no token endpoint: the issuer's discovery names none");
              }
              Set<String> scopes = new LinkedHashSet<>();
              if (oidc.scopes() != null) {
                scopes.addAll(oidc.scopes());
              }
              scopes.addAll(found.scopes());
              return exchanges.oidcToken(
                  endpoint, all.resultAt(1), all.resultAt(2), String.join(" ", scopes));
            });
  }

  private Future<String> secretValue(
      BackendSecurityPolicy policy, SecretObjectReference ref, String key) {
    if (ref == null) {
      return Future.failedFuture("no Secret named for " + key);
    }
    String own = policy.metadata().namespace();
    String ns = ref.namespace() == null || ref.namespace().isEmpty() ? own : ref.namespace();
    // the controller may read every Secret: whoever may write a policy must not borrow that
    if (!ns.equals(own) && !view.granted(own, ns, ref.name())) {
      return Future.failedFuture(
          "Secret "
              + ns
              + "/"
              + ref.name()
              + " is in another namespace and no ReferenceGrant in "
              + ns
              + " allows BackendSecurityPolicies of "
              + own
              + " to refer to it");
    }
    return blocking(() -> client.secrets().inNamespace(ns).withName(ref.name()).get())
        .compose(
            secret -> {
              String value = secret == null ? null : decoded(secret, key);
              return value == null
                  ? Future.failedFuture("Secret " + ns + "/" + ref.name() + " has no key " + key)
                  : Future.succeededFuture(value.strip());
            });
  }

  private static String decoded(Secret secret, String key) {
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return secret.getStringData().get(key);
    }
    String data = secret.getData() == null ? null : secret.getData().get(key);
    try {
      return data == null
          ? null
          : new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // the decoder's message quotes the character it refused: a piece of the secret
      throw new IllegalStateException(
          "key " + key + " of Secret " + secret.getMetadata().getName() + " is not base64");
    }
  }

  private Future<Instant> write(
      BackendSecurityPolicy policy,
      String name,
      RotatedCredential c,
      Instant now,
      String key,
      long attempt) {
    if (!current(key, attempt)) {
      // timed out meanwhile (a newer rotation may have written), or stopped (another replica may
      // lead): an older credential must not replace what is there
      return Future.failedFuture("the rotation was superseded or the rotators stopped");
    }
    String ns = policy.metadata().namespace();
    SecretBuilder builder =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .addToAnnotations(EXPIRATION_ANNOTATION, c.expiresAt().toString())
            .addToLabels("app.kubernetes.io/managed-by", "aigw")
            .endMetadata()
            .withType("Opaque");
    c.data()
        .forEach(
            (k, v) ->
                builder.addToData(
                    k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    if (policy.metadata().uid() != null) {
      builder
          .editMetadata()
          .addToOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion(policy.apiVersion())
                  .withKind("BackendSecurityPolicy")
                  .withName(policy.metadata().name())
                  .withUid(policy.metadata().uid())
                  .withController(true)
                  .build())
          .endMetadata();
    }
    Secret secret = builder.build();
    return blocking(
            () -> {
              if (stopped) {
                throw new IllegalStateException("the rotators stopped: another replica may lead");
              }
              return client.resource(secret).inNamespace(ns).createOr(NonDeletingOperation::update);
            })
        .map(
            written -> {
              var entry = log.atInfo().addKeyValue("secret", ns + "/" + name);
              for (Map.Entry<String, String> e : c.data().entrySet()) {
                entry = entry.addKeyValue(e.getKey() + ".sha256", digest(e.getValue()));
              }
              entry.addKeyValue("expiresAt", c.expiresAt()).log("credential rotated");
              return renewAt(now, c.expiresAt());
            });
  }

  /**
   * When a credential made at {@code now} is renewed: five minutes before it expires, or at half
   * its lifetime when that is later (a lifetime under ten minutes), so that one living five minutes
   * or less is not made again at every check.
   */
  static Instant renewAt(Instant now, Instant expiresAt) {
    Instant window = expiresAt.minus(PRE_ROTATION);
    Instant half = now.plus(Duration.between(now, expiresAt).dividedBy(2));
    return window.isAfter(half) ? window : half;
  }

  static String digest(String value) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private <T> Future<T> blocking(Supplier<T> call) {
    return vertx.executeBlocking(call::get, false);
  }
}
