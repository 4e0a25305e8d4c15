package io.aigw.extproc.auth;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Signs an upstream request with AWS SigV4 using the AWS SDK's signer, over the exact body that
 * leaves for the provider. The signer adds and signs {@code x-amz-content-sha256}; {@code
 * content-length} is not signed (Envoy may rewrite it). The canonical URI is the path encoded once
 * more, as the SDKs do for every service but S3.
 */
public final class SigV4Signer {

  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  private SigV4Signer() {}

  /**
   * What a signature is for.
   *
   * @param service the signing name ({@code bedrock})
   * @param region the signing region
   * @param host the host Envoy sends the request to
   */
  public record Scope(String service, String region, String host) {}

  /**
   * The headers to add (lower-case names, {@code host} left out: Envoy sends the backend's host,
   * which must equal {@code host}).
   */
  public static List<CredentialInjector.AuthHeader> sign(
      RequestCredential.AwsKeys keys,
      Scope scope,
      CredentialInjector.Outbound request,
      Clock clock) {
    String service = scope.service();
    String region = scope.region();
    String host = scope.host();
    String method = request.method();
    String path = request.path();
    byte[] body = request.body();
    AwsCredentialsIdentity identity =
        keys.sessionToken().isPresent()
            ? AwsSessionCredentialsIdentity.create(
                keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken().get())
            : AwsCredentialsIdentity.create(keys.accessKeyId(), keys.secretAccessKey());
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .uri(URI.create("https://" + host + path))
            .build();
    SignedRequest signed =
        SIGNER.sign(
            r ->
                r.identity(identity)
                    .request(unsigned)
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    List<CredentialInjector.AuthHeader> out = new ArrayList<>(4);
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!name.equals("host") && !header.getValue().isEmpty()) {
        out.add(new CredentialInjector.AuthHeader(name, header.getValue().get(0)));
      }
    }
    return List.copyOf(out);
  }
}
