package io.aigw.deploy.rotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aigw.core.event.RotationOutcome;
import io.aigw.core.model.BackendSecurityPolicy;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rotators against fake OIDC, STS, Entra ID and Google STS endpoints on loopback and the
 * Kubernetes mock server in CRUD mode.
 */
class CredentialRotatorsIT {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Vertx vertx = Vertx.vertx();
  private KubernetesMockServer server;
  private KubernetesClient client;
  private HttpServer fake;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<String, String> forms = new ConcurrentHashMap<>();
  private final Map<String, String> authorizations = new ConcurrentHashMap<>();

  /** When the impersonated account's token expires, as the IAM answer says. */
  private static final Instant SA_TOKEN_EXPIRY =
      Instant.now().plusSeconds(1800).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

  private final AtomicInteger stsFailuresLeft = new AtomicInteger();
  private final AtomicBoolean hanging = new AtomicBoolean();
  private final AtomicInteger trickles = new AtomicInteger();
  private final AtomicBoolean trickled = new AtomicBoolean();
  private volatile long expiresInSeconds = 3600;
  private CredentialRotators rotators;

  @BeforeEach
  void start() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    client = server.createClient(new Vertx5HttpClientFactory(vertx));
    fake = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1").await();
    clientSecret("default", "oidc-client", "oidc-secret-value");
  }

  /** A Secret holding an OIDC or Azure client secret under key {@code client-secret}. */
  private void clientSecret(String namespace, String name, String value) {
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToStringData("client-secret", value)
                .build())
        .create();
  }

  @AfterEach
  void stop() {
    if (rotators != null) {
      rotators.stop().await();
    }
    fake.close().await();
    client.close();
    server.destroy();
    vertx.close().await();
  }

  private void answer(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              String path = request.path();
              calls.add(path);
              forms.put(path, body.toString(StandardCharsets.UTF_8));
              if (request.getHeader("authorization") != null) {
                authorizations.put(path, request.getHeader("authorization"));
              }
              var response = request.response();
              switch (path) {
                case "/.well-known/openid-configuration" ->
                    response
                        .putHeader("content-type", "application/json")
                        .end(
                            "{\"issuer\":\""
                                + base()
                                + "\",\"token_endpoint\":\""
                                + base()
                                + "/discovered/token\",\"scopes_supported\":[\"openid\",\"sts\"]}");
                case "/hang/tenant-1/oauth2/v2.0/token" -> {
                  if (hanging.get()) {
                    // accepted, never answered: as an endpoint behind a stuck proxy
                    return;
                  }
                  response
                      .putHeader("content-type", "application/json")
                      .end("{\"access_token\":\"azure-token\",\"expires_in\":3599}");
                }
                case "/trickle/tenant-1/oauth2/v2.0/token" -> {
                  if (trickles.getAndIncrement() == 0) {
                    trickle(response, "{\"access_token\":\"late-token\",\"expires_in\":3599}");
                    return;
                  }
                  response
                      .putHeader("content-type", "application/json")
                      .end("{\"access_token\":\"fresh-token\",\"expires_in\":3599}");
                }
                case "/opaque/token" ->
                    response.putHeader("content-type", "text/plain").end("opaquesecrettoken123");
                case "/oidc/token" ->
                    response
                        .putHeader("content-type", "application/json")
                        .end("{\"access_token\":\"oidc-jwt\",\"expires_in\":3600}");
                case "/sts/" -> {
                  if (stsFailuresLeft.getAndDecrement() > 0) {
                    response.setStatusCode(503).end("busy");
                    return;
                  }
                  String expiry = Instant.now().plusSeconds(expiresInSeconds).toString();
                  response
                      .putHeader("content-type", "text/xml")
                      .end(
                          "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
                              + "<AccessKeyId>ASIAROTATED</AccessKeyId><SecretAccessKey>rotated-secret</SecretAccessKey>"
                              + "<SessionToken>rotated-session</SessionToken><Expiration>"
                              + expiry
                              + "</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>");
                }
                case "/azure/tenant-1/oauth2/v2.0/token" ->
                    response
                        .putHeader("content-type", "application/json")
                        .end("{\"access_token\":\"azure-token\",\"expires_in\":3599}");
                case "/gcp/token" ->
                    response
                        .putHeader("content-type", "application/json")
                        .end("{\"access_token\":\"gcp-token\",\"expires_in\":3600}");
                case "/iam/v1/projects/-/serviceAccounts/vertex-sa%40p.iam.gserviceaccount.com:generateAccessToken" ->
                    response
                        .putHeader("content-type", "application/json")
                        .end(
                            "{\"accessToken\":\"sa-token\",\"expireTime\":\""
                                + SA_TOKEN_EXPIRY
                                + "\"}");
                default -> response.setStatusCode(404).end();
              }
            });
  }

  /**
   * Answers {@code body} in twelve pieces 300 ms apart: never silent for the 500 ms that fails an
   * exchange, and done after the 1.5 s that fails a whole rotation.
   */
  private void trickle(io.vertx.core.http.HttpServerResponse response, String body) {
    response.setChunked(true).putHeader("content-type", "application/json");
    int pieces = 12;
    int size = (body.length() + pieces - 1) / pieces;
    AtomicInteger sent = new AtomicInteger();
    vertx.setPeriodic(
        300,
        timer -> {
          int from = sent.getAndIncrement() * size;
          if (from + size >= body.length()) {
            vertx.cancelTimer(timer);
            response.end(body.substring(Math.min(from, body.length())));
            trickled.set(true);
          } else {
            response.write(body.substring(from, from + size));
          }
        });
  }

  /** Rotators checking every 50 ms, whose exchanges give up after 500 ms of silence. */
  private CredentialRotators rotate(Supplier<List<BackendSecurityPolicy>> policies) {
    return rotate(policies, RotationView.UNKNOWN, endpoints());
  }

  private CredentialRotators rotate(
      Supplier<List<BackendSecurityPolicy>> policies,
      RotationView view,
      RotationEndpoints endpoints) {
    return CredentialRotators.start(
        vertx,
        client,
        policies,
        view,
        view instanceof RotationRecorder recorder ? recorder : RotationRecorder.NONE,
        endpoints,
        new RotationTiming(
            java.time.Clock.systemUTC(), Duration.ofMillis(50), Duration.ofMillis(500)));
  }

  private long stsCalls() {
    return calls.stream().filter("/sts/"::equals).count();
  }

  private String base() {
    return "http://127.0.0.1:" + fake.actualPort();
  }

  private RotationEndpoints endpoints() {
    return new RotationEndpoints(
        base() + "/sts/", base() + "/azure", base() + "/gcp/token", base() + "/iam");
  }

  private BackendSecurityPolicy policy(String yaml) throws Exception {
    return YAML.readValue(yaml.replace("BASE", base()), BackendSecurityPolicy.class);
  }

  private static final String OIDC =
      "      oidc:\n"
          + "        provider: {issuer: BASE, tokenEndpoint: BASE/oidc/token}\n"
          + "        clientID: aigw\n"
          + "        clientSecret: {name: oidc-client, namespace: default}\n"
          + "        scopes: [sts]\n";

  private static final String AWS =
      "apiVersion: aigateway.envoyproxy.io/v1beta1\nkind: BackendSecurityPolicy\n"
          + "metadata: {name: bedrock, namespace: default, uid: u-1}\n"
          + "spec:\n  type: AWSCredentials\n  awsCredentials:\n    region: us-east-1\n"
          + "    oidcExchangeToken:\n      awsRoleArn: arn:aws:iam::1:role/r\n"
          + OIDC;

  private static final String AZURE =
      "metadata: {name: azure, namespace: default}\n"
          + "spec:\n"
          + "  type: AzureCredentials\n"
          + "  azureCredentials:\n"
          + "    clientID: app\n"
          + "    tenantID: tenant-1\n"
          + "    clientSecretRef: {name: oidc-client}\n";

  private BackendSecurityPolicy aws() throws Exception {
    return policy(AWS);
  }

  private Secret secret(String name) {
    return client.secrets().inNamespace("default").withName(name).get();
  }

  private static String value(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  /**
   * The fold's side of the recorded outcomes, as the controller's log and fold would hold them: a
   * failure is held until a success.
   */
  static final class RecordingFold implements RotationView, RotationRecorder {
    final List<RotationOutcome> recorded = new CopyOnWriteArrayList<>();
    final Map<String, RotationOutcome> failures = new ConcurrentHashMap<>();

    @Override
    public void record(BackendSecurityPolicy policy, String failure) {
      var meta = policy.metadata();
      RotationOutcome outcome =
          new RotationOutcome("test", meta.namespace(), meta.name(), meta.uid(), 0, failure);
      recorded.add(outcome);
      if (outcome.failed()) {
        failures.put(meta.namespace() + "/" + meta.name(), outcome);
      } else {
        failures.remove(meta.namespace() + "/" + meta.name());
      }
    }

    @Override
    public Optional<RotationOutcome> failure(String namespace, String name) {
      return Optional.ofNullable(failures.get(namespace + "/" + name));
    }

    @Override
    public boolean holds(String namespace, String name, String ownerUid) {
      return RotationView.UNKNOWN.holds(namespace, name, ownerUid);
    }

    @Override
    public boolean granted(String fromNamespace, String toNamespace, String secretName) {
      return RotationView.UNKNOWN.granted(fromNamespace, toNamespace, secretName);
    }
  }

  @Test
  void awsOidcCredentialsAreRotatedIntoTheSecretAfterStsFailuresWithBackoff() throws Exception {
    stsFailuresLeft.set(2);
    BackendSecurityPolicy policy = aws();
    RecordingFold fold = new RecordingFold();
    rotators = rotate(() -> List.of(policy), fold, endpoints());
    await().atMost(Duration.ofSeconds(20)).until(() -> secret("ai-eg-bsp-bedrock") != null);
    Secret written = secret("ai-eg-bsp-bedrock");
    assertThat(value(written, "credentials"))
        .isEqualTo(
            "[default]\naws_access_key_id = ASIAROTATED\naws_secret_access_key = rotated-secret\n"
                + "aws_session_token = rotated-session\nregion = us-east-1\n");
    assertThat(written.getMetadata().getAnnotations()).containsKey("rotators/expiration-time");
    assertThat(written.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("u-1");
    assertThat(calls.stream().filter("/sts/"::equals).count()).isEqualTo(3);
    // the two failures in a row are one Event on the policy, naming the answer, not the secrets
    var events = client.v1().events().inNamespace("default").list().getItems();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getReason()).isEqualTo("CredentialRotationFailed");
    assertThat(events.get(0).getType()).isEqualTo("Warning");
    assertThat(events.get(0).getInvolvedObject().getName()).isEqualTo("bedrock");
    assertThat(events.get(0).getInvolvedObject().getUid()).isEqualTo("u-1");
    assertThat(events.get(0).getMessage())
        .contains("/sts/ answered 503")
        .doesNotContain("oidc-secret-value")
        .doesNotContain("oidc-jwt");
    // for the policy's status: the run of two failures, then the success that ends it
    await().atMost(Duration.ofSeconds(5)).until(() -> fold.recorded.size() == 2);
    assertThat(fold.recorded.get(0).failure())
        .contains("/sts/ answered 503")
        .doesNotContain("oidc-secret-value");
    assertThat(fold.recorded.get(1).failed()).isFalse();
    assertThat(forms.get("/sts/"))
        .contains("Action=AssumeRoleWithWebIdentity")
        .contains("WebIdentityToken=oidc-jwt")
        .contains("RoleSessionName=ai-gateway-bedrock");
    // as upstream: the issuer's discovery runs, and its scopes follow the policy's own
    assertThat(calls)
        .contains("/.well-known/openid-configuration")
        .doesNotContain("/discovered/token");
    assertThat(forms.get("/oidc/token"))
        .contains("client_secret=oidc-secret-value")
        .endsWith("&scope=sts+openid");
  }

  @Test
  void aRunOfFailuresAndItsEndAreRecordedOnceBeforeTheFoldHasEither() throws Exception {
    stsFailuresLeft.set(3);
    BackendSecurityPolicy policy = aws();
    List<String> recorded = new CopyOnWriteArrayList<>();
    // a fold that has not caught up with any of it
    rotators =
        CredentialRotators.start(
            vertx,
            client,
            () -> List.of(policy),
            RotationView.UNKNOWN,
            (p, failure) -> recorded.add(failure.isEmpty() ? "rotated" : "failed"),
            endpoints(),
            new RotationTiming(
                java.time.Clock.systemUTC(), Duration.ofMillis(50), Duration.ofMillis(500)));
    await().atMost(Duration.ofSeconds(20)).until(() -> secret("ai-eg-bsp-bedrock") != null);
    await().atMost(Duration.ofSeconds(5)).until(() -> recorded.contains("rotated"));
    assertThat(recorded).containsExactly("failed", "rotated");
  }

  @Test
  void stsIsReachedThroughTheProxyUpstreamsVariableNames() throws Exception {
    List<String> proxied = new CopyOnWriteArrayList<>();
    HttpServer proxy =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  proxied.add(request.method() + " " + request.uri());
                  answer(request);
                })
            .listen(0, "127.0.0.1")
            .await();
    try {
      BackendSecurityPolicy policy = aws();
      RotationEndpoints viaProxy =
          new RotationEndpoints(
              base() + "/sts/",
              base() + "/azure",
              base() + "/gcp/token",
              base() + "/iam",
              Optional.of("http://127.0.0.1:" + proxy.actualPort()));
      rotators = rotate(() -> List.of(policy), RotationView.UNKNOWN, viaProxy);
      await().atMost(Duration.ofSeconds(20)).until(() -> secret("ai-eg-bsp-bedrock") != null);
      // an HTTP proxy is asked for the whole URL; only STS goes through it, as upstream
      assertThat(proxied).containsExactly("POST " + base() + "/sts/");
      assertThat(calls).contains("/oidc/token");
    } finally {
      proxy.close().await();
    }
  }

  @Test
  void aCredentialIsRenewedOnlyWithinFiveMinutesOfExpiry() throws Exception {
    BackendSecurityPolicy policy = aws();
    expiresInSeconds = 3600;
    rotators = rotate(() -> List.of(policy));
    await().atMost(Duration.ofSeconds(20)).until(() -> secret("ai-eg-bsp-bedrock") != null);
    rotators.stop().await();
    long before = stsCalls();
    // a fresh controller sees a valid Secret and leaves it
    rotators = rotate(() -> List.of(policy));
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> stsCalls() == before);
    rotators.stop().await();
    // one that expires within the window is renewed at once, and a credential that lives two
    // minutes is renewed at half its life, not at every check
    client
        .secrets()
        .inNamespace("default")
        .withName("ai-eg-bsp-bedrock")
        .edit(
            s -> {
              s.getMetadata()
                  .getAnnotations()
                  .put(
                      CredentialRotators.EXPIRATION_ANNOTATION,
                      Instant.now().plusSeconds(120).toString());
              return s;
            });
    expiresInSeconds = 120;
    rotators = rotate(() -> List.of(policy));
    await().atMost(Duration.ofSeconds(20)).until(() -> stsCalls() == before + 1);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> stsCalls() == before + 1);
  }

  @Test
  void aDeletedSecretIsWrittenAgainWithoutWaitingForItsCredentialToBeDue() throws Exception {
    BackendSecurityPolicy policy = aws();
    // the controller's fold, played by an informer: both hold what the API server has, a moment
    // later, without a call
    SharedIndexInformer<Secret> informer = client.secrets().inNamespace("default").inform();
    RotationView fold =
        new RotationView() {
          @Override
          public boolean holds(String namespace, String name, String owner) {
            Secret found = informer.getStore().getByKey(namespace + "/" + name);
            return found != null
                && found.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> o.getUid().equals(owner));
          }

          @Override
          public boolean granted(String fromNamespace, String toNamespace, String secretName) {
            return false;
          }
        };
    rotators = rotate(() -> List.of(policy), fold, endpoints());
    await().atMost(Duration.ofSeconds(20)).until(() -> secret("ai-eg-bsp-bedrock") != null);
    long before = stsCalls();
    client.secrets().inNamespace("default").withName("ai-eg-bsp-bedrock").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> secret("ai-eg-bsp-bedrock") != null);
    assertThat(stsCalls()).isEqualTo(before + 1);
    informer.close();
  }

  @Test
  void aSecretLeftByAnEarlierPolicyOfTheSameNameIsWrittenAgain() throws Exception {
    // a policy deleted and made again: the old Secret is valid for an hour, but owned by the old
    // uid, so the garbage collector is about to remove it
    client
        .secrets()
        .inNamespace("default")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("ai-eg-bsp-bedrock")
                .addToAnnotations(
                    CredentialRotators.EXPIRATION_ANNOTATION,
                    Instant.now().plusSeconds(3600).toString())
                .addNewOwnerReference()
                .withApiVersion("aigateway.envoyproxy.io/v1beta1")
                .withKind("BackendSecurityPolicy")
                .withName("bedrock")
                .withUid("u-0")
                .endOwnerReference()
                .endMetadata()
                .addToStringData("credentials", "old")
                .build())
        .create();
    BackendSecurityPolicy policy = aws();
    rotators = rotate(() -> List.of(policy));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                secret("ai-eg-bsp-bedrock")
                    .getMetadata()
                    .getOwnerReferences()
                    .get(0)
                    .getUid()
                    .equals("u-1"));
    assertThat(value(secret("ai-eg-bsp-bedrock"), "credentials")).contains("ASIAROTATED");
  }

  @Test
  void aSecretOfAnotherNamespaceIsReadOnlyWhereAReferenceGrantAllowsIt() throws Exception {
    clientSecret("team-b", "idp", "team-b-secret-value");
    BackendSecurityPolicy borrowing =
        policy(
            AWS.replace(
                "{name: oidc-client, namespace: default}", "{name: idp, namespace: team-b}"));
    AtomicBoolean grant = new AtomicBoolean();
    RotationView grants =
        new RotationView() {
          @Override
          public boolean holds(String namespace, String name, String owner) {
            return true;
          }

          @Override
          public boolean granted(String fromNamespace, String toNamespace, String secretName) {
            return grant.get()
                && fromNamespace.equals("default")
                && toNamespace.equals("team-b")
                && secretName.equals("idp");
          }
        };
    rotators = rotate(() -> List.of(borrowing), grants, endpoints());
    // refused before any call: the Secret's value goes nowhere
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !client.v1().events().inNamespace("default").list().getItems().isEmpty());
    assertThat(client.v1().events().inNamespace("default").list().getItems().get(0).getMessage())
        .contains(
            "Secret team-b/idp is in another namespace and no ReferenceGrant in team-b allows"
                + " BackendSecurityPolicies of default to refer to it");
    assertThat(forms.values()).noneMatch(form -> form.contains("team-b-secret-value"));
    assertThat(secret("ai-eg-bsp-bedrock")).isNull();
    grant.set(true);
    await().atMost(Duration.ofSeconds(20)).until(() -> secret("ai-eg-bsp-bedrock") != null);
    assertThat(forms.get("/oidc/token")).contains("client_secret=team-b-secret-value");
  }

  @Test
  void anAnswerThatIsNotJsonIsReportedWithoutItsText() throws Exception {
    BackendSecurityPolicy policy = policy(AWS.replace("BASE/oidc/token", "BASE/opaque/token"));
    rotators = rotate(() -> List.of(policy));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !client.v1().events().inNamespace("default").list().getItems().isEmpty());
    assertThat(client.v1().events().inNamespace("default").list().getItems().get(0).getMessage())
        .contains("not a JSON object")
        .doesNotContain("opaquesecrettoken123");
  }

  @Test
  void anEndpointThatNeverAnswersFailsTheExchangeAndALaterAttemptSucceeds() throws Exception {
    hanging.set(true);
    BackendSecurityPolicy azure = policy(AZURE);
    RotationEndpoints hangingAzure =
        new RotationEndpoints(base() + "/sts/", base() + "/hang", base() + "/gcp/token", base());
    rotators = rotate(() -> List.of(azure), RotationView.UNKNOWN, hangingAzure);
    String token = "/hang/tenant-1/oauth2/v2.0/token";
    await().atMost(Duration.ofSeconds(20)).until(() -> calls.contains(token));
    hanging.set(false);
    await().atMost(Duration.ofSeconds(20)).until(() -> secret("ai-eg-bsp-azure") != null);
    assertThat(calls.stream().filter(token::equals).count()).isGreaterThan(1);
  }

  @Test
  void aRotationThatTimedOutWritesNothingWhenItsAnswerArrivesLate() throws Exception {
    BackendSecurityPolicy azure = policy(AZURE);
    RotationEndpoints trickling =
        new RotationEndpoints(base() + "/sts/", base() + "/trickle", base() + "/gcp/token", base());
    rotators = rotate(() -> List.of(azure), RotationView.UNKNOWN, trickling);

    // the first rotation times out while its answer trickles in; the retry writes
    await().atMost(Duration.ofSeconds(20)).until(() -> secret("ai-eg-bsp-azure") != null);
    assertThat(value(secret("ai-eg-bsp-azure"), "azureAccessToken")).isEqualTo("fresh-token");
    assertThat(trickled).isFalse();
    await().atMost(Duration.ofSeconds(20)).untilTrue(trickled);
    // time for the late answer to be parsed and, were it not refused, written
    Thread.sleep(1_000);

    assertThat(value(secret("ai-eg-bsp-azure"), "azureAccessToken")).isEqualTo("fresh-token");
  }

  @Test
  void azureAndGcpTokensAreWrittenUnderTheirKeys() throws Exception {
    BackendSecurityPolicy azure = policy(AZURE);
    BackendSecurityPolicy gcp = gcpWorkloadIdentity("vertex", "");
    rotators = rotate(() -> List.of(azure, gcp));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> secret("ai-eg-bsp-azure") != null && secret("ai-eg-bsp-vertex") != null);
    assertThat(value(secret("ai-eg-bsp-azure"), "azureAccessToken")).isEqualTo("azure-token");
    assertThat(forms.get("/azure/tenant-1/oauth2/v2.0/token"))
        .contains("client_secret=oidc-secret-value")
        .contains("scope=https%3A%2F%2Fcognitiveservices.azure.com%2F.default");
    assertThat(value(secret("ai-eg-bsp-vertex"), "gcpAccessToken")).isEqualTo("gcp-token");
    assertThat(forms.get("/gcp/token"))
        .contains("subject_token=oidc-jwt")
        .contains(
            "audience=%2F%2Fiam.googleapis.com%2Fprojects%2F123%2Flocations%2Fglobal%2FworkloadIdentityPools%2Fpool%2Fproviders%2Fprov");
  }

  @Test
  void gcpWorkloadIdentityThatImpersonatesAServiceAccountStoresTheServiceAccountsToken()
      throws Exception {
    BackendSecurityPolicy gcp =
        gcpWorkloadIdentity(
            "vertex-sa", "      serviceAccountImpersonation: {serviceAccountName: vertex-sa}\n");
    // the same account named by its email: taken as it is, not completed with the project
    BackendSecurityPolicy byEmail =
        gcpWorkloadIdentity(
            "vertex-email",
            "      serviceAccountImpersonation:"
                + " {serviceAccountName: vertex-sa@p.iam.gserviceaccount.com}\n");
    rotators = rotate(() -> List.of(gcp, byEmail));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                secret("ai-eg-bsp-vertex-sa") != null && secret("ai-eg-bsp-vertex-email") != null);
    assertThat(value(secret("ai-eg-bsp-vertex-sa"), "gcpAccessToken")).isEqualTo("sa-token");
    assertThat(value(secret("ai-eg-bsp-vertex-email"), "gcpAccessToken")).isEqualTo("sa-token");
    assertThat(
            secret("ai-eg-bsp-vertex-sa")
                .getMetadata()
                .getAnnotations()
                .get(CredentialRotators.EXPIRATION_ANNOTATION))
        .as("renewed before the account's token expires, not the federated one's")
        .isEqualTo(SA_TOKEN_EXPIRY.toString());
    String generate =
        "/iam/v1/projects/-/serviceAccounts/vertex-sa%40p.iam.gserviceaccount.com:generateAccessToken";
    assertThat(authorizations.get(generate)).isEqualTo("Bearer gcp-token");
    assertThat(forms.get(generate))
        .isEqualTo("{\"scope\":[\"https://www.googleapis.com/auth/cloud-platform\"]}");
  }

  /** A GCP workload identity policy of project p; {@code extra}: more lines of its config. */
  private BackendSecurityPolicy gcpWorkloadIdentity(String name, String extra) throws Exception {
    return policy(
        "metadata: {name: "
            + name
            + ", namespace: default}\n"
            + "spec:\n"
            + "  type: GCPCredentials\n"
            + "  gcpCredentials:\n"
            + "    projectName: p\n"
            + "    region: r\n"
            + "    workloadIdentityFederationConfig:\n"
            + "      projectID: '123'\n"
            + "      workloadIdentityPoolName: pool\n"
            + "      workloadIdentityProviderName: prov\n"
            + extra
            + "      oidcExchangeToken:\n"
            + OIDC.replace("      ", "        "));
  }

  @Test
  void digestsAreShortAndStable() {
    assertThat(CredentialRotators.digest("abc")).isEqualTo("ba7816bf8f01cfea");
  }
}
