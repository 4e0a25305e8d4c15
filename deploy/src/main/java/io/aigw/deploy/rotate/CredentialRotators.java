package io.aigw.deploy.rotate;

import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.core.model.BackendSecurityPolicyOIDC;
import io.aigw.core.model.OIDC;
import io.aigw.core.model.SecretObjectReference;
import io.aigw.core.model.gateway.Names;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates short-lived backend credentials into the Secret {@code ai-eg-bsp-<policy>} that the
 * ExtProc reads: AWS (OIDC token → STS {@code AssumeRoleWithWebIdentity} → credentials file, key
 * {@code credentials}), Azure (client secret or OIDC token → Entra ID token, key {@code
 * azureAccessToken}) and GCP (OIDC token → workload identity federation → the impersonated service
 * account's token when the policy names one, key {@code gcpAccessToken}). A credential is renewed
 * five minutes before it expires (annotation {@code rotators/expiration-time}); a failed rotation
 * is retried with backoff from 1 s doubling to 1 min. Values are logged only as SHA-256 digests.
 *
 * <pre>{@code
 * CredentialRotators rotators = CredentialRotators.start(vertx, client,
 *     () -> world.backendSecurityPolicies(), RotationEndpoints.PUBLIC_CLOUDS);
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

  private final Vertx vertx;
  private final KubernetesClient client;
  private final Supplier<? extends Collection<BackendSecurityPolicy>> policies;
  private final RotationEndpoints endpoints;
  private final Clock clock;
  private final HttpClient http;
  private final TokenExchanges exchanges;
  private final Map<String, Schedule> schedules = new ConcurrentHashMap<>();
  private final long timer;

  private record Schedule(Instant next, Duration backoff, boolean running) {}

  private CredentialRotators(
      Vertx vertx,
      KubernetesClient client,
      Supplier<? extends Collection<BackendSecurityPolicy>> policies,
      RotationEndpoints endpoints,
      Clock clock,
      long checkMillis) {
    this.vertx = vertx;
    this.client = client;
    this.policies = policies;
    this.endpoints = endpoints;
    this.clock = clock;
    this.http = vertx.createHttpClient();
    this.exchanges = new TokenExchanges(http, clock);
    this.timer = vertx.setPeriodic(0, checkMillis, id -> tick());
  }

  /**
   * Starts rotating the credentials of the policies {@code policies} returns, checked every 5 s.
   */
  public static CredentialRotators start(
      Vertx vertx,
      KubernetesClient client,
      Supplier<? extends Collection<BackendSecurityPolicy>> policies,
      RotationEndpoints endpoints) {
    return start(vertx, client, policies, endpoints, Clock.systemUTC(), 5_000);
  }

  /** As {@link #start(Vertx, KubernetesClient, Supplier, RotationEndpoints)}, for tests. */
  public static CredentialRotators start(
      Vertx vertx,
      KubernetesClient client,
      Supplier<? extends Collection<BackendSecurityPolicy>> policies,
      RotationEndpoints endpoints,
      Clock clock,
      long checkMillis) {
    return new CredentialRotators(vertx, client, policies, endpoints, clock, checkMillis);
  }

  /** Stops checking; rotations in flight finish. */
  public Future<Void> stop() {
    vertx.cancelTimer(timer);
    return http.close();
  }

  private void tick() {
    Instant now = clock.instant();
    for (BackendSecurityPolicy policy : policies.get()) {
      if (PolicyKind.of(policy).isEmpty()) {
        continue;
      }
      String key = policy.metadata().namespace() + "/" + policy.metadata().name();
      Schedule schedule =
          schedules.getOrDefault(key, new Schedule(Instant.MIN, MIN_BACKOFF, false));
      if (schedule.running() || now.isBefore(schedule.next())) {
        continue;
      }
      schedules.put(key, new Schedule(schedule.next(), schedule.backoff(), true));
      rotateIfDue(policy, now)
          .onSuccess(next -> schedules.put(key, new Schedule(next, MIN_BACKOFF, false)))
          .onFailure(
              error -> {
                Duration backoff = schedule.backoff();
                log.atWarn()
                    .addKeyValue("policy", key)
                    .addKeyValue("retryIn", backoff)
                    .addKeyValue("reason", error.getMessage())
                    .log("credential rotation failed");
                Duration doubled = backoff.multipliedBy(2);
                schedules.put(
                    key,
                    new Schedule(
                        now.plus(backoff),
                        doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled,
                        false));
              });
    }
  }

  /** Rotates when the Secret is missing or within the pre-rotation window; the next check time. */
  private Future<Instant> rotateIfDue(BackendSecurityPolicy policy, Instant now) {
    String ns = policy.metadata().namespace();
    String name = Names.rotatedSecret(policy.metadata().name());
    return blocking(() -> client.secrets().inNamespace(ns).withName(name).get())
        .compose(
            existing -> {
              Optional<Instant> expiry = expiry(existing);
              if (expiry.isPresent() && now.isBefore(expiry.get().minus(PRE_ROTATION))) {
                return Future.succeededFuture(expiry.get().minus(PRE_ROTATION));
              }
              return rotate(policy).compose(c -> write(policy, name, c));
            });
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

  private Future<String> oidcToken(BackendSecurityPolicy policy, OIDC oidc) {
    Future<String> endpoint =
        oidc.provider().tokenEndpoint() != null && !oidc.provider().tokenEndpoint().isEmpty()
            ? Future.succeededFuture(oidc.provider().tokenEndpoint())
            : exchanges.discover(oidc.provider().issuer());
    Future<String> clientId =
        oidc.clientID() != null
            ? Future.succeededFuture(oidc.clientID())
            : secretValue(policy, oidc.clientIDRef(), "client-id");
    String scopes = oidc.scopes() == null ? "" : String.join(" ", oidc.scopes());
    return Future.all(endpoint, clientId, secretValue(policy, oidc.clientSecret(), "client-secret"))
        .compose(
            all -> exchanges.oidcToken(all.resultAt(0), all.resultAt(1), all.resultAt(2), scopes));
  }

  private Future<String> secretValue(
      BackendSecurityPolicy policy, SecretObjectReference ref, String key) {
    if (ref == null) {
      return Future.failedFuture("no Secret named for " + key);
    }
    String ns = ref.namespace() == null ? policy.metadata().namespace() : ref.namespace();
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
    return data == null
        ? null
        : new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
  }

  private Future<Instant> write(BackendSecurityPolicy policy, String name, RotatedCredential c) {
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
            () -> client.resource(secret).inNamespace(ns).createOr(NonDeletingOperation::update))
        .map(
            written -> {
              var entry = log.atInfo().addKeyValue("secret", ns + "/" + name);
              for (Map.Entry<String, String> e : c.data().entrySet()) {
                entry = entry.addKeyValue(e.getKey() + ".sha256", digest(e.getValue()));
              }
              entry.addKeyValue("expiresAt", c.expiresAt()).log("credential rotated");
              return c.expiresAt().minus(PRE_ROTATION);
            });
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
