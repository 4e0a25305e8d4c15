package io.aigw.deploy.rotate;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ProxyOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The HTTP exchanges of the rotators, on Vert.x's client: the OIDC client-credentials grant, STS
 * {@code AssumeRoleWithWebIdentity}, the Entra ID token endpoint, Google's STS token exchange and
 * the IAM Credentials {@code generateAccessToken} of an impersonated service account. Non-2xx
 * answers fail the future with the status (never with the body, which may echo secrets).
 */
final class TokenExchanges {

  private static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

  private final HttpClient http;
  private final Clock clock;
  private final long timeoutMillis;

  /**
   * @param timeout how long a connect may take, and an answer may keep silent, before the exchange
   *     fails: an endpoint that never answers must not stop a policy's rotation for good
   */
  TokenExchanges(HttpClient http, Clock clock, Duration timeout) {
    this.http = http;
    this.clock = clock;
    this.timeoutMillis = timeout.toMillis();
  }

  /** What an issuer's discovery document says. */
  record Discovery(String tokenEndpoint, List<String> scopes) {}

  private RequestOptions options(HttpMethod method, String url) {
    return new RequestOptions()
        .setMethod(method)
        .setAbsoluteURI(url)
        .setConnectTimeout(timeoutMillis)
        .setIdleTimeout(timeoutMillis);
  }

  /** An access token from the OIDC token endpoint (client-credentials grant). */
  Future<String> oidcToken(
      String tokenEndpoint, String clientId, String clientSecret, String scopes) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("client_id", clientId);
    form.put("client_secret", clientSecret);
    if (scopes != null && !scopes.isBlank()) {
      form.put("scope", scopes);
    }
    return post(tokenEndpoint, form, "application/json")
        .map(body -> json(body).getString("access_token"))
        .compose(
            t ->
                t == null
                    ? Future.failedFuture("no access_token in the OIDC answer")
                    : Future.succeededFuture(t));
  }

  /** The issuer's discovery document: its {@code token_endpoint} and {@code scopes_supported}. */
  Future<Discovery> discover(String issuer) {
    String url = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
    return http.request(options(HttpMethod.GET, url))
        .compose(req -> req.send())
        .compose(
            resp ->
                resp.statusCode() / 100 == 2
                    ? resp.body().map(TokenExchanges::discovery)
                    : Future.failedFuture("OIDC discovery answered " + resp.statusCode()));
  }

  private static Discovery discovery(Buffer body) {
    JsonObject json = json(body.toString());
    List<String> scopes = new ArrayList<>();
    JsonArray supported = json.getJsonArray("scopes_supported");
    if (supported != null) {
      supported.forEach(scope -> scopes.add(String.valueOf(scope)));
    }
    return new Discovery(json.getString("token_endpoint"), List.copyOf(scopes));
  }

  /** AWS credentials from STS for a web identity (unsigned, as that action allows). */
  Future<RotatedCredential> assumeRole(
      String stsUrl,
      Optional<ProxyOptions> proxy,
      String roleArn,
      String session,
      String token,
      String region) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("Action", "AssumeRoleWithWebIdentity");
    form.put("Version", "2011-06-15");
    form.put("RoleArn", roleArn);
    form.put("RoleSessionName", session);
    form.put("WebIdentityToken", token);
    return post(stsUrl, form, "text/xml", proxy)
        .map(
            xml -> {
              String id = tag(xml, "AccessKeyId");
              String secret = tag(xml, "SecretAccessKey");
              String sessionToken = tag(xml, "SessionToken");
              String expiration = tag(xml, "Expiration");
              if (id == null || secret == null || expiration == null) {
                throw new IllegalStateException("STS answer has no credentials");
              }
              StringBuilder file =
                  new StringBuilder("[default]\naws_access_key_id = ")
                      .append(id)
                      .append("\naws_secret_access_key = ")
                      .append(secret)
                      .append('\n');
              if (sessionToken != null && !sessionToken.isEmpty()) {
                file.append("aws_session_token = ").append(sessionToken).append('\n');
              }
              file.append("region = ").append(region).append('\n');
              return new RotatedCredential(
                  Map.of("credentials", file.toString()), Instant.parse(expiration));
            });
  }

  /** An Entra ID token for Azure OpenAI: with a client secret, or an OIDC token as assertion. */
  Future<RotatedCredential> azureToken(
      String authority, String tenant, String clientId, String secret, String assertion) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("client_id", clientId);
    form.put("scope", "https://cognitiveservices.azure.com/.default");
    if (assertion != null) {
      form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      form.put("client_assertion", assertion);
    } else {
      form.put("client_secret", secret);
    }
    String url = authority.replaceAll("/+$", "") + "/" + tenant + "/oauth2/v2.0/token";
    return post(url, form, "application/json").map(body -> bearer(body, "azureAccessToken"));
  }

  /** A GCP access token for an OIDC token through workload identity federation. */
  Future<RotatedCredential> gcpToken(String stsUrl, String audience, String subjectToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
    form.put("audience", audience);
    form.put("scope", CLOUD_PLATFORM);
    form.put("requested_token_type", "urn:ietf:params:oauth:token-type:access_token");
    form.put("subject_token_type", "urn:ietf:params:oauth:token-type:jwt");
    form.put("subject_token", subjectToken);
    return post(stsUrl, form, "application/json").map(body -> bearer(body, "gcpAccessToken"));
  }

  /**
   * The access token of {@code serviceAccount} (an email), obtained with the federated token {@code
   * federated}, for a policy that impersonates a service account.
   */
  Future<RotatedCredential> gcpImpersonated(
      String iamCredentials, String serviceAccount, String federated) {
    String url =
        iamCredentials.replaceAll("/+$", "")
            + "/v1/projects/-/serviceAccounts/"
            + enc(serviceAccount)
            + ":generateAccessToken";
    RequestOptions options =
        options(HttpMethod.POST, url)
            .putHeader("content-type", "application/json")
            .putHeader("accept", "application/json")
            .putHeader("authorization", "Bearer " + federated);
    String body = new JsonObject().put("scope", List.of(CLOUD_PLATFORM)).encode();
    return send(url, options, body)
        .map(
            answer -> {
              JsonObject json = json(answer);
              String token = json.getString("accessToken");
              if (token == null) {
                throw new IllegalStateException("no accessToken in the answer");
              }
              String expires = json.getString("expireTime");
              return new RotatedCredential(
                  Map.of("gcpAccessToken", token),
                  expires == null ? clock.instant().plusSeconds(3600) : Instant.parse(expires));
            });
  }

  private RotatedCredential bearer(String body, String key) {
    JsonObject json = json(body);
    String token = json.getString("access_token");
    if (token == null) {
      throw new IllegalStateException("no access_token in the answer");
    }
    long seconds =
        json.getValue("expires_in") == null
            ? 3600
            : Long.parseLong(json.getValue("expires_in").toString());
    return new RotatedCredential(Map.of(key, token), clock.instant().plusSeconds(seconds));
  }

  private Future<String> post(String url, Map<String, String> form, String accept) {
    return post(url, form, accept, Optional.empty());
  }

  private Future<String> post(
      String url, Map<String, String> form, String accept, Optional<ProxyOptions> proxy) {
    String body =
        form.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    RequestOptions options =
        options(HttpMethod.POST, url)
            .putHeader("content-type", "application/x-www-form-urlencoded")
            .putHeader("accept", accept);
    proxy.ifPresent(options::setProxyOptions);
    return send(url, options, body);
  }

  /** The answer's body, or a failure naming the URL and the status (never the body). */
  private Future<String> send(String url, RequestOptions options, String body) {
    return http.request(options)
        .compose(req -> req.send(Buffer.buffer(body)))
        .compose(
            resp ->
                resp.statusCode() / 100 == 2
                    ? resp.body().map(Buffer::toString)
                    : Future.failedFuture(url + " answered " + resp.statusCode()));
  }

  /**
   * The answer as JSON. The parser's own message quotes the text it refused, which may be a token
   * in an answer of another shape, and failures reach the log and the policy's Events.
   */
  private static JsonObject json(String answer) {
    try {
      return new JsonObject(answer);
    } catch (DecodeException e) {
      throw new IllegalStateException("the answer is not a JSON object");
    }
  }

  private static String enc(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
  }

  private static String tag(String xml, String name) {
    Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
    return m.find() ? m.group(1).strip() : null;
  }
}
