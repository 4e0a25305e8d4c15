package io.aigw.deploy.rotate;

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
 */
public record RotationEndpoints(
    String awsSts, String azureLogin, String gcpSts, String gcpIamCredentials) {

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
}
