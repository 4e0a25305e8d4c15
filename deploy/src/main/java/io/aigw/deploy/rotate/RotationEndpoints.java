package io.aigw.deploy.rotate;

import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.net.URI;
import java.util.Optional;

/**
 * Where the rotators exchange tokens; the defaults are the public clouds, tests point them at
 * loopback.
 *
 * @param awsSts the STS endpoint, {@code {region}} replaced by the policy's region
 * @param azureLogin Microsoft Entra ID's authority ({@code /{tenant}/oauth2/v2.0/token} appended)
 * @param gcpSts Google's security token service token URL
 * @param gcpIamCredentials Google's IAM Service Account Credentials API, which turns the federated
 *     token into the impersonated service account's ({@code
 *     /v1/projects/-/serviceAccounts/<email>:generateAccessToken} appended)
 * @param awsStsProxy the HTTP proxy STS is reached through, as upstream's {@code
 *     AI_GATEWAY_STS_PROXY_URL} names it ({@code http://[user:password@]host:port})
 */
public record RotationEndpoints(
    String awsSts,
    String azureLogin,
    String gcpSts,
    String gcpIamCredentials,
    Optional<String> awsStsProxy) {

  /** Endpoints reached directly. */
  public RotationEndpoints(
      String awsSts, String azureLogin, String gcpSts, String gcpIamCredentials) {
    this(awsSts, azureLogin, gcpSts, gcpIamCredentials, Optional.empty());
  }

  public static final RotationEndpoints PUBLIC_CLOUDS =
      new RotationEndpoints(
          "https://sts.{region}.amazonaws.com/",
          "https://login.microsoftonline.com",
          "https://sts.googleapis.com/v1/token",
          "https://iamcredentials.googleapis.com");

  /**
   * The STS URL for {@code region}; with the public template, the China regions' endpoints are
   * under {@code amazonaws.com.cn}.
   */
  String awsSts(String region) {
    String url = awsSts.replace("{region}", region);
    boolean publicTemplate = awsSts.equals(PUBLIC_CLOUDS.awsSts);
    return publicTemplate && region.startsWith("cn-")
        ? url.replace(".amazonaws.com/", ".amazonaws.com.cn/")
        : url;
  }

  /**
   * The proxy STS is reached through, if one is set.
   *
   * @throws IllegalArgumentException when the proxy URL is not {@code http://host:port}
   */
  public Optional<ProxyOptions> awsStsProxyOptions() {
    return awsStsProxy.filter(url -> !url.isBlank()).map(RotationEndpoints::proxy);
  }

  private static ProxyOptions proxy(String url) {
    URI uri = URI.create(url.strip());
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "the STS proxy must be http://[user:password@]host:port, got "
              + uri.getScheme()
              + "://…");
    }
    ProxyOptions options =
        new ProxyOptions()
            .setType(ProxyType.HTTP)
            .setHost(uri.getHost())
            .setPort(uri.getPort() > 0 ? uri.getPort() : 80);
    String user = uri.getUserInfo();
    if (user != null) {
      int colon = user.indexOf(':');
      options.setUsername(colon < 0 ? user : user.substring(0, colon));
      if (colon >= 0) {
        options.setPassword(user.substring(colon + 1));
      }
    }
    return options;
  }
}
