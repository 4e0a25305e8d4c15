package io.aigw.extproc.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where AWS credentials of the pod's own identity come from, as two links of the AWS SDKs' default
 * chain get them: a web identity token (IRSA: {@code AWS_ROLE_ARN} and {@code
 * AWS_WEB_IDENTITY_TOKEN_FILE}, exchanged at STS with {@code AssumeRoleWithWebIdentity}), or a
 * container credentials endpoint (EKS Pod Identity and ECS: {@code
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI} or {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, with the
 * token of {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} or {@code
 * AWS_CONTAINER_AUTHORIZATION_TOKEN}; the token goes only to HTTPS or to the agents' own addresses,
 * as the SDKs allow). {@link RenewedCredential} keeps them fresh; the token files are read at every
 * fetch, since the kubelet rotates them. STS's error code is logged, never a body.
 */
final class AwsRoleCredentials {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = RenewedCredential.TIMEOUT;
  private static final String ECS_HOST = "http://169.254.170.2";
  private static final List<String> AGENT_HOSTS =
      List.of("169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "localhost", "[::1]");
  private static final Pattern ERROR_CODE = Pattern.compile("<Code>([A-Za-z.]{1,64})</Code>");

  private AwsRoleCredentials() {}

  /** IRSA's web identity, when {@code env} configures one. */
  static Optional<RenewedCredential<RequestCredential.AwsKeys>> webIdentity(
      Map<String, String> env, Clock clock, RenewedCredential.Timing timing) {
    return webIdentitySource(env)
        .map(source -> new RenewedCredential<>(source, "aws", clock, timing));
  }

  /** A container credentials endpoint (EKS Pod Identity, ECS), when {@code env} names one. */
  static Optional<RenewedCredential<RequestCredential.AwsKeys>> container(
      Map<String, String> env, Clock clock, RenewedCredential.Timing timing) {
    return containerSource(env)
        .map(source -> new RenewedCredential<>(source, "aws", clock, timing));
  }

  /** STS's error code ({@code AccessDenied}, {@code InvalidIdentityToken}, …): no secret in it. */
  private static String errorCode(String body) {
    Matcher code = ERROR_CODE.matcher(body == null ? "" : body);
    return code.find() ? " " + code.group(1) : "";
  }

  // --- the sources ---

  private static Optional<RenewedCredential.Source<RequestCredential.AwsKeys>> webIdentitySource(
      Map<String, String> env) {
    String role = env.get("AWS_ROLE_ARN");
    String tokenFile = env.get("AWS_WEB_IDENTITY_TOKEN_FILE");
    if (blank(role) || blank(tokenFile)) {
      return Optional.empty();
    }
    String session =
        blank(env.get("AWS_ROLE_SESSION_NAME"))
            ? "aigw-extproc-" + System.currentTimeMillis()
            : env.get("AWS_ROLE_SESSION_NAME");
    String sts = stsEndpoint(env);
    return Optional.of(
        new RenewedCredential.Source<>() {
          @Override
          public HttpRequest request() throws IOException {
            String token = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip();
            String form =
                "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn="
                    + encode(role)
                    + "&RoleSessionName="
                    + encode(session)
                    + "&WebIdentityToken="
                    + encode(token);
            return HttpRequest.newBuilder(uri(sts, "the STS endpoint"))
                .timeout(TIMEOUT)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
          }

          @Override
          public RenewedCredential.Fetched<RequestCredential.AwsKeys> parse(String body) {
            return new RenewedCredential.Fetched<>(
                new RequestCredential.AwsKeys(
                    tag(body, "AccessKeyId"),
                    tag(body, "SecretAccessKey"),
                    Optional.of(tag(body, "SessionToken"))),
                Instant.parse(tag(body, "Expiration")));
          }

          @Override
          public String describe() {
            return "STS " + sts;
          }

          @Override
          public String errorCode(String body) {
            return AwsRoleCredentials.errorCode(body);
          }
        });
  }

  /**
   * The STS endpoint: {@code AWS_ENDPOINT_URL_STS} or {@code AWS_ENDPOINT_URL} when set, else the
   * region's ({@code AWS_REGION}, {@code AWS_DEFAULT_REGION}), else the global one.
   */
  static String stsEndpoint(Map<String, String> env) {
    for (String name : new String[] {"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"}) {
      if (!blank(env.get(name))) {
        return env.get(name);
      }
    }
    String region =
        !blank(env.get("AWS_REGION")) ? env.get("AWS_REGION") : env.get("AWS_DEFAULT_REGION");
    if (blank(region)) {
      return "https://sts.amazonaws.com/";
    }
    return "https://sts." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn/" : "/");
  }

  private static Optional<RenewedCredential.Source<RequestCredential.AwsKeys>> containerSource(
      Map<String, String> env) {
    String full = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    String relative = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    if (blank(full) && blank(relative)) {
      return Optional.empty();
    }
    // the relative one first, as the Java SDK and botocore have it
    String endpoint = blank(relative) ? full : ECS_HOST + relative;
    String tokenFile = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    String token = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    return Optional.of(
        new RenewedCredential.Source<>() {
          @Override
          public HttpRequest request() throws IOException {
            URI uri = uri(endpoint, "the container credentials endpoint");
            if (!"https".equals(uri.getScheme()) && !agentHost(uri.getHost())) {
              throw new IllegalStateException(
                  endpoint
                      + " is neither HTTPS nor a container credentials agent's address: the"
                      + " authorization token is not sent there");
            }
            HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("accept", "application/json");
            String authorization =
                !blank(tokenFile)
                    ? Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip()
                    : token;
            if (!blank(authorization)) {
              // the HTTP client's own refusal would quote the token
              if (authorization.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalStateException(
                    "the container authorization token is not a valid header value");
              }
              request.header("authorization", authorization);
            }
            return request.GET().build();
          }

          @Override
          public RenewedCredential.Fetched<RequestCredential.AwsKeys> parse(String body) {
            JsonNode json;
            try {
              json = JSON.readTree(body);
            } catch (IOException e) {
              // the parser's message quotes the body, which holds the secret key
              throw new IllegalStateException("the container credentials are not JSON");
            }
            return new RenewedCredential.Fetched<>(
                new RequestCredential.AwsKeys(
                    field(json, "AccessKeyId"),
                    field(json, "SecretAccessKey"),
                    Optional.ofNullable(json.path("Token").textValue()).filter(t -> !t.isBlank())),
                Instant.parse(field(json, "Expiration")));
          }

          @Override
          public String describe() {
            return "container credentials " + endpoint;
          }
        });
  }

  /** Loopback and the agents' link-local addresses: the hosts plain HTTP may carry the token to. */
  private static boolean agentHost(String host) {
    return host != null && (AGENT_HOSTS.contains(host) || host.startsWith("127."));
  }

  private static URI uri(String value, String what) {
    try {
      return URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(what + " is not a URI: " + value);
    }
  }

  private static String field(JsonNode json, String name) {
    String value = json.path(name).textValue();
    if (blank(value)) {
      throw new IllegalStateException("the container credentials have no " + name);
    }
    return value;
  }

  private static String tag(String xml, String name) {
    Matcher matcher = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
    if (!matcher.find() || matcher.group(1).isBlank()) {
      throw new IllegalStateException("STS answered without " + name);
    }
    return matcher.group(1).strip();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
