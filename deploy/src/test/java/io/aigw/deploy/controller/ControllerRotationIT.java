package io.aigw.deploy.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.RotationOutcome;
import io.aigw.deploy.rotate.RotationEndpoints;
import io.aigw.watchers.informer.WatchedKind;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The credential rotators as {@code aigw controller} runs them: on the leader only, for the
 * BackendSecurityPolicies of the cluster, against a fake OIDC provider, AWS STS and Entra ID on
 * loopback; a new leader takes over the rotation, and a policy's status says when it fails.
 */
class ControllerRotationIT {

  static final String NS = "rotation";

  ControllerHarness cluster;
  HttpServer fake;
  final Map<String, String> forms = new ConcurrentHashMap<>();

  /** STS exchanges answered, by the replica whose endpoints were called. */
  final Map<String, AtomicInteger> stsCalls = new ConcurrentHashMap<>();

  /** Whether STS answers 503. */
  final AtomicBoolean stsFailing = new AtomicBoolean();

  /** Replicas whose calls are refused: a stopped leader must not rotate anything afterwards. */
  final Set<String> refused = ConcurrentHashMap.newKeySet();

  @AfterEach
  void stop() throws Exception {
    if (fake != null) {
      fake.close().await(5, TimeUnit.SECONDS);
    }
    cluster.close();
  }

  @Test
  void theLeaderRotatesPolicyCredentialsIntoTheirSecretsAndANewLeaderTakesOver() throws Exception {
    String base = startCluster();
    // each replica calls its own endpoints, so the fake knows who rotated
    KubernetesController a = startReplica(base, "a");
    KubernetesController b = startReplica(base, "b");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> secret("ai-eg-bsp-bedrock") != null && secret("ai-eg-bsp-azure") != null);
    KubernetesController leader = a.isLeader() ? a : b;
    KubernetesController standby = leader == a ? b : a;
    String leaderName = leader == a ? "replica-a" : "replica-b";
    String standbyName = leader == a ? "replica-b" : "replica-a";
    assertThat(leader.rotating()).isTrue();
    assertThat(standby.rotating()).isFalse();
    Secret aws = secret("ai-eg-bsp-bedrock");
    assertThat(value(aws, "credentials"))
        .contains("aws_access_key_id = ASIAROTATED")
        .contains("region = us-east-1");
    assertThat(aws.getMetadata().getAnnotations()).containsKey("rotators/expiration-time");
    assertThat(aws.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("bedrock");
    assertThat(forms.get("/sts/us-east-1/"))
        .contains("Action=AssumeRoleWithWebIdentity")
        .contains("WebIdentityToken=oidc-jwt");
    assertThat(value(secret("ai-eg-bsp-azure"), "azureAccessToken")).isEqualTo("azure-token");
    assertThat(forms.get("/azure/tenant-1/oauth2/v2.0/token"))
        .contains("client_secret=idp-secret-value");

    cluster.stop(leader);
    refused.add(leaderName);
    int standbyCallsBefore = stsCalls(standbyName);
    cluster.kubectl.secrets().inNamespace(NS).withName("ai-eg-bsp-bedrock").delete();
    // leadership is published before the new leader has built its rotators
    await().atMost(Duration.ofSeconds(30)).until(() -> standby.isLeader() && standby.rotating());
    // the re-created Secret holds what the new leader's own STS exchange answered
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Secret rotated = secret("ai-eg-bsp-bedrock");
              return rotated != null
                  && value(rotated, "credentials").contains(accessKeyId(standbyName));
            });
    assertThat(stsCalls(standbyName)).isGreaterThan(standbyCallsBefore);
  }

  @Test
  void aFailingRotationIsInThePolicysStatusUntilOneSucceeds() throws Exception {
    stsFailing.set(true);
    String base = startCluster();
    KubernetesController controller = startReplica(base, "a");

    // as upstream's controller says it: NotAccepted, with the field and the error
    await().atMost(Duration.ofSeconds(30)).until(() -> policyMessage("bedrock").contains("rotate"));
    JsonNode condition = policyCondition("bedrock");
    assertThat(condition.path("type").asText()).isEqualTo("NotAccepted");
    assertThat(condition.path("reason").asText()).isEqualTo("ReconciliationFailed");
    assertThat(condition.path("message").asText())
        // the policies' backends are not there: that is in the message too
        .contains("spec.awsCredentials.oidcExchangeToken: the credential could not be rotated: ")
        .contains("answered 503")
        .doesNotContain("idp-secret-value")
        .doesNotContain("oidc-jwt");
    assertThat(policyMessage("azure"))
        .isEqualTo("spec.targetRefs[0]: AIServiceBackend rotation/azure not found");
    // a run of failures is recorded once, not at every retry
    await().atMost(Duration.ofSeconds(30)).until(() -> stsCalls("replica-a") >= 3);
    assertThat(rotations(controller)).extracting(RotationOutcome::name).containsExactly("bedrock");

    stsFailing.set(false);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !policyMessage("bedrock").contains("rotate"));
    assertThat(policyMessage("bedrock"))
        .isEqualTo("spec.targetRefs[0]: AIServiceBackend rotation/bedrock not found");
    assertThat(rotations(controller))
        .extracting(RotationOutcome::failed)
        .containsExactly(true, false);
  }

  /**
   * Starts the API server and the fake endpoints, and applies the policies with the client secret
   * they read; the fake's base URL.
   */
  private String startCluster() throws Exception {
    cluster = new ControllerHarness(NS);
    fake =
        cluster
            .vertx
            .createHttpServer()
            .requestHandler(this::answer)
            .listen(0, "127.0.0.1")
            .await(5, TimeUnit.SECONDS);
    String base = "http://127.0.0.1:" + fake.actualPort();
    cluster
        .kubectl
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("idp-client")
                .endMetadata()
                .addToStringData("client-secret", "idp-secret-value")
                .build())
        .create();
    cluster.apply(policies(base));
    return base;
  }

  /** Replica {@code replica-<name>}, which calls its own endpoints: the fake knows who called. */
  private KubernetesController startReplica(String base, String name) throws Exception {
    return cluster.start(
        cluster
            .options(cluster.root.resolve(name), "replica-" + name)
            .withRotation(endpoints(base, "replica-" + name)));
  }

  private String policyMessage(String name) {
    return policyCondition(name).path("message").asText();
  }

  /**
   * The policy's condition. The mock API server merges a merge patch's arrays into the live ones
   * (an API server replaces them), so the condition written last is the last one.
   */
  private JsonNode policyCondition(String name) {
    JsonNode conditions =
        cluster
            .get(WatchedKind.BACKEND_SECURITY_POLICY, name)
            .orElseThrow()
            .at("/status/conditions");
    return conditions.isArray() && !conditions.isEmpty()
        ? conditions.get(conditions.size() - 1)
        : conditions;
  }

  private static List<RotationOutcome> rotations(KubernetesController controller) {
    List<RotationOutcome> rotations = new ArrayList<>();
    for (LogEntry entry : controller.log().read(1, Integer.MAX_VALUE)) {
      if (entry.event() instanceof RotationOutcome rotation) {
        rotations.add(rotation);
      }
    }
    return rotations;
  }

  private static RotationEndpoints endpoints(String base, String replica) {
    String own = base + "/" + replica;
    return new RotationEndpoints(
        own + "/sts/{region}/", own + "/azure", own + "/gcp/token", own + "/iam");
  }

  private int stsCalls(String replica) {
    AtomicInteger calls = stsCalls.get(replica);
    return calls == null ? 0 : calls.get();
  }

  private static String accessKeyId(String replica) {
    return "ASIAROTATED" + replica.substring(replica.length() - 1).toUpperCase(Locale.ROOT);
  }

  private static String policies(String base) {
    String oidc =
        """
              oidc:
                provider: {issuer: BASE, tokenEndpoint: BASE/oidc/token}
                clientID: aigw
                clientSecret: {name: idp-client, namespace: rotation}
                scopes: [sts]
        """;
    return ("""
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: BackendSecurityPolicy
        metadata: {name: bedrock, namespace: rotation}
        spec:
          targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: bedrock}]
          type: AWSCredentials
          awsCredentials:
            region: us-east-1
            oidcExchangeToken:
              awsRoleArn: arn:aws:iam::1:role/r
        """
            + oidc
            + """
        ---
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: BackendSecurityPolicy
        metadata: {name: azure, namespace: rotation}
        spec:
          targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: azure}]
          type: AzureCredentials
          azureCredentials:
            clientID: app
            tenantID: tenant-1
            clientSecretRef: {name: idp-client}
        """)
        .replace("BASE", base);
  }

  private void answer(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              // /<replica>/sts/…: the replica's own endpoints; /oidc/token is the policies'
              String[] parts = request.path().split("/", 3);
              boolean own = parts.length == 3 && parts[1].startsWith("replica-");
              String replica = own ? parts[1] : "";
              String path = own ? "/" + parts[2] : request.path();
              var response = request.response().putHeader("content-type", "application/json");
              if (refused.contains(replica)) {
                response.setStatusCode(503).end();
                return;
              }
              forms.put(path, body.toString(StandardCharsets.UTF_8));
              switch (path) {
                case "/oidc/token" ->
                    response.end("{\"access_token\":\"oidc-jwt\",\"expires_in\":3600}");
                case "/sts/us-east-1/" -> {
                  stsCalls.computeIfAbsent(replica, r -> new AtomicInteger()).incrementAndGet();
                  if (stsFailing.get()) {
                    response.setStatusCode(503).end();
                    return;
                  }
                  response
                      .putHeader("content-type", "text/xml")
                      .end(
                          "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult>"
                              + "<Credentials><AccessKeyId>"
                              + accessKeyId(replica)
                              + "</AccessKeyId>"
                              + "<SecretAccessKey>rotated-secret</SecretAccessKey>"
                              + "<SessionToken>rotated-session</SessionToken><Expiration>"
                              + Instant.now().plusSeconds(3600)
                              + "</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
                              + "</AssumeRoleWithWebIdentityResponse>");
                }
                case "/azure/tenant-1/oauth2/v2.0/token" ->
                    response.end("{\"access_token\":\"azure-token\",\"expires_in\":3599}");
                default -> response.setStatusCode(404).end();
              }
            });
  }

  private Secret secret(String name) {
    return cluster.kubectl.secrets().inNamespace(NS).withName(name).get();
  }

  private static String value(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
