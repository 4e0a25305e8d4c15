package io.aigw.extproc.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pod's own AWS identity as an ExtProc in EKS has it: IRSA's web identity exchanged at a fake
 * STS, and EKS Pod Identity's container credentials endpoint, both on loopback.
 */
class AwsRoleCredentialsTest {

  @TempDir Path dir;

  HttpServer server;
  final List<String> stsForms = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final AtomicInteger failuresLeft = new AtomicInteger();

  /** How long the credentials the fakes hand out live. */
  volatile Duration life = Duration.ofHours(1);

  RenewedCredential<RequestCredential.AwsKeys> role;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/sts/", this::sts);
    server.createContext("/pod-identity", this::podIdentity);
    server.start();
  }

  @AfterEach
  void stop() {
    if (role != null) {
      role.stop();
    }
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void sts(HttpExchange exchange) throws IOException {
    String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    stsForms.add(URLDecoder.decode(form, StandardCharsets.UTF_8));
    if (failuresLeft.getAndDecrement() > 0) {
      answer(exchange, 403, "<Error><Message>secret-bearing detail</Message></Error>");
      return;
    }
    answer(
        exchange,
        200,
        "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
            + "<AccessKeyId>ASIAIRSA"
            + stsForms.size()
            + "</AccessKeyId><SecretAccessKey>irsa-secret</SecretAccessKey>"
            + "<SessionToken>irsa-session</SessionToken><Expiration>"
            + Instant.now().plus(life)
            + "</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
            + "</AssumeRoleWithWebIdentityResponse>");
  }

  private void podIdentity(HttpExchange exchange) throws IOException {
    authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("authorization")));
    answer(
        exchange,
        200,
        "{\"AccessKeyId\":\"ASIAPOD\",\"SecretAccessKey\":\"pod-secret\",\"Token\":\"pod-session\","
            + "\"AccountId\":\"1\",\"Expiration\":\""
            + Instant.now().plus(life)
            + "\"}");
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private Map<String, String> irsa() throws IOException {
    Path token = dir.resolve("token");
    Files.writeString(token, "jwt-1\n");
    return Map.of(
        "AWS_ROLE_ARN",
        "arn:aws:iam::1:role/bedrock",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        token.toString(),
        "AWS_ROLE_SESSION_NAME",
        "extproc",
        "AWS_ENDPOINT_URL_STS",
        base() + "/sts/");
  }

  /** Fast for tests: a fetch may follow the last after 100 ms, and any life is long enough. */
  private static final RenewedCredential.Timing FAST =
      new RenewedCredential.Timing(Duration.ofMillis(100), Duration.ZERO);

  private static Optional<RenewedCredential<RequestCredential.AwsKeys>> webIdentity(
      Map<String, String> env) {
    return AwsRoleCredentials.webIdentity(env, Clock.systemUTC(), FAST);
  }

  private static Optional<RenewedCredential<RequestCredential.AwsKeys>> container(
      Map<String, String> env) {
    return AwsRoleCredentials.container(env, Clock.systemUTC(), FAST);
  }

  private RenewedCredential<RequestCredential.AwsKeys> started(
      Optional<RenewedCredential<RequestCredential.AwsKeys>> configured) {
    role = configured.orElseThrow();
    role.start();
    return role;
  }

  private Map<String, String> podIdentity() throws IOException {
    Path token = dir.resolve("eks-pod-identity-token");
    Files.writeString(token, "pod-identity-jwt");
    return Map.of(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        base() + "/pod-identity",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        token.toString());
  }

  private static Optional<String> file(String accessKeyId) {
    return Optional.of("[default]\naws_access_key_id=" + accessKeyId + "\naws_secret_access_key=y");
  }

  @Test
  void irsasWebIdentityIsExchangedAtStsAndRenewedWithTheRotatedToken() throws Exception {
    life = Duration.ofSeconds(2);
    RenewedCredential<RequestCredential.AwsKeys> credentials = started(webIdentity(irsa()));
    await().atMost(Duration.ofSeconds(10)).until(() -> credentials.current().isPresent());
    RequestCredential.AwsKeys keys = credentials.current().orElseThrow();
    assertThat(keys.accessKeyId()).isEqualTo("ASIAIRSA1");
    assertThat(keys.secretAccessKey()).isEqualTo("irsa-secret");
    assertThat(keys.sessionToken()).contains("irsa-session");
    assertThat(stsForms.get(0))
        .contains("Action=AssumeRoleWithWebIdentity")
        .contains("RoleArn=arn:aws:iam::1:role/bedrock")
        .contains("RoleSessionName=extproc")
        .contains("WebIdentityToken=jwt-1");

    // the kubelet rotates the token; credentials living 2 s are renewed at half their life
    Files.writeString(dir.resolve("token"), "jwt-2");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                credentials.current().map(k -> !k.accessKeyId().equals("ASIAIRSA1")).orElse(false));
    assertThat(stsForms.get(stsForms.size() - 1)).contains("WebIdentityToken=jwt-2");
  }

  @Test
  void aRefusedExchangeIsRetriedAndTheChainPassesToTheFileMeanwhile() throws Exception {
    failuresLeft.set(2);
    Map<String, String> env = irsa();
    role = webIdentity(env).orElseThrow();
    AwsDefaultCredentials chain =
        new AwsDefaultCredentials(
            env, path -> file("AKIDFILE"), System::nanoTime, Optional.of(role), Optional.empty());
    // as the SDKs do, a link that has nothing passes to the next
    assertThat(chain.keys().orElseThrow().accessKeyId()).isEqualTo("AKIDFILE");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> chain.keys().orElseThrow().accessKeyId().startsWith("ASIAIRSA"));
    assertThat(chain.keys().orElseThrow().accessKeyId()).isEqualTo("ASIAIRSA3");
    assertThat(stsForms).hasSize(3);
  }

  @Test
  void keysInTheEnvironmentComeBeforeThePodsIdentity() throws Exception {
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of("AWS_ACCESS_KEY_ID", "AKIDENV", "AWS_SECRET_ACCESS_KEY", "x"));
    env.putAll(irsa());
    role = webIdentity(env).orElseThrow();
    AwsDefaultCredentials chain =
        new AwsDefaultCredentials(
            env, path -> Optional.empty(), System::nanoTime, Optional.of(role), Optional.empty());
    assertThat(chain.keys().orElseThrow().accessKeyId()).isEqualTo("AKIDENV");
    assertThat(stsForms).isEmpty();
  }

  @Test
  void eksPodIdentitysAgentIsAskedWithTheTokenOfItsFileAfterTheSharedFile() throws Exception {
    Map<String, String> env = podIdentity();
    role = container(env).orElseThrow();
    AwsDefaultCredentials withFile =
        new AwsDefaultCredentials(
            env, path -> file("AKIDFILE"), System::nanoTime, Optional.empty(), Optional.of(role));
    assertThat(withFile.keys().orElseThrow().accessKeyId()).isEqualTo("AKIDFILE");
    AwsDefaultCredentials withoutFile =
        new AwsDefaultCredentials(
            env, path -> Optional.empty(), System::nanoTime, Optional.empty(), Optional.of(role));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> withoutFile.keys().map(k -> k.accessKeyId().equals("ASIAPOD")).orElse(false));
    assertThat(withoutFile.keys().orElseThrow().sessionToken()).contains("pod-session");
    assertThat(authorizations).containsExactly("pod-identity-jwt");
  }

  @Test
  void theContainerTokenGoesOnlyToHttpsOrAnAgentsAddress() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(podIdentity());
    // plain HTTP to a host that is neither loopback by name nor an agent's address; Linux connects
    // 0.0.0.0 to this host, so the fake would get the token if it were sent
    env.put(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://0.0.0.0:" + server.getAddress().getPort() + "/pod-identity");
    RenewedCredential<RequestCredential.AwsKeys> elsewhere = started(container(env));
    Thread.sleep(1500);
    assertThat(elsewhere.current()).isEmpty();
    assertThat(authorizations).isEmpty();
  }

  @Test
  void noIdentityIsConfiguredWithoutTheVariables() {
    assertThat(webIdentity(Map.of())).isEmpty();
    assertThat(container(Map.of())).isEmpty();
    assertThat(webIdentity(Map.of("AWS_ROLE_ARN", "arn:aws:iam::1:role/r"))).isEmpty();
  }

  @Test
  void stsIsTheRegionsUnlessAnEndpointIsGiven() {
    assertThat(AwsRoleCredentials.stsEndpoint(Map.of("AWS_REGION", "eu-west-1")))
        .isEqualTo("https://sts.eu-west-1.amazonaws.com/");
    assertThat(AwsRoleCredentials.stsEndpoint(Map.of("AWS_DEFAULT_REGION", "cn-north-1")))
        .isEqualTo("https://sts.cn-north-1.amazonaws.com.cn/");
    assertThat(AwsRoleCredentials.stsEndpoint(Map.of())).isEqualTo("https://sts.amazonaws.com/");
    assertThat(
            AwsRoleCredentials.stsEndpoint(
                Map.of("AWS_REGION", "eu-west-1", "AWS_ENDPOINT_URL_STS", "http://sts.local/")))
        .isEqualTo("http://sts.local/");
  }

  @Test
  void credentialsAreRenewedFiveMinutesBeforeTheyExpireOrAtHalfTheirLife() {
    Instant now = Instant.parse("2026-11-28T08:00:00Z");
    Duration soonest = Duration.ofSeconds(30);
    assertThat(RenewedCredential.renewIn(now, now.plusSeconds(3600), soonest))
        .isEqualTo(Duration.ofMinutes(55));
    assertThat(RenewedCredential.renewIn(now, now.plusSeconds(120), soonest))
        .isEqualTo(Duration.ofMinutes(1));
    // no expiry, however near or past, makes a loop of fetches
    assertThat(RenewedCredential.renewIn(now, now.plusSeconds(20), soonest)).isEqualTo(soonest);
    assertThat(RenewedCredential.renewIn(now, now.minusSeconds(1), soonest)).isEqualTo(soonest);
  }
}
