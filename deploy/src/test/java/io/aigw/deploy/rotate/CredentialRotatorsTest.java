package io.aigw.deploy.rotate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CredentialRotatorsTest {

  private static final Instant NOW = Instant.parse("2026-11-28T04:00:00Z");

  @Test
  void aCredentialIsRenewedFiveMinutesBeforeItExpires() {
    assertThat(CredentialRotators.renewAt(NOW, NOW.plusSeconds(3600)))
        .isEqualTo(NOW.plusSeconds(3300));
  }

  @Test
  void aShortLivedCredentialIsRenewedAtHalfItsLife() {
    // five minutes before expiry would be now or earlier: made again at every check
    assertThat(CredentialRotators.renewAt(NOW, NOW.plusSeconds(120)))
        .isEqualTo(NOW.plusSeconds(60));
    assertThat(CredentialRotators.renewAt(NOW, NOW.plusSeconds(300)))
        .isEqualTo(NOW.plusSeconds(150));
    // half the life is later than the window for anything living less than ten minutes
    assertThat(CredentialRotators.renewAt(NOW, NOW.plusSeconds(540)))
        .isEqualTo(NOW.plusSeconds(270));
    assertThat(CredentialRotators.renewAt(NOW, NOW.plusSeconds(600)))
        .isEqualTo(NOW.plusSeconds(300));
  }

  @Test
  void aFailureIsToldWithoutWhatAnApiServerQuotedAndNeverBlank() {
    // an admission webhook may quote the Secret it refused; the reason is kept in the log for good
    var refused =
        new KubernetesClientException(
            new StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage("denied: data.credentials=aws_secret_access_key = s3cr3t")
                .build());
    assertThat(CredentialRotators.reasonOf(new CompletionException(refused)))
        .isEqualTo("the Kubernetes API answered 403 Forbidden");
    assertThat(CredentialRotators.reasonOf(new IllegalStateException((String) null)))
        .isEqualTo("IllegalStateException");
    assertThat(CredentialRotators.reasonOf(new RuntimeException(" ")))
        .isEqualTo("RuntimeException");
    assertThat(CredentialRotators.reasonOf(new RuntimeException("STS answered 503")))
        .isEqualTo("STS answered 503");
  }

  @Test
  void stsOfTheChinaRegionsIsUnderAmazonawsComCn() {
    RotationEndpoints endpoints = RotationEndpoints.PUBLIC_CLOUDS;
    assertThat(endpoints.awsSts("us-east-1")).isEqualTo("https://sts.us-east-1.amazonaws.com/");
    assertThat(endpoints.awsSts("cn-north-1"))
        .isEqualTo("https://sts.cn-north-1.amazonaws.com.cn/");
    // an endpoint of the operator's own is taken as written
    RotationEndpoints own =
        new RotationEndpoints("https://sts.{region}.amazonaws.com/proxy/", "a", "g", "i");
    assertThat(
            new RotationEndpoints("https://sts-proxy.{region}.amazonaws.com/", "a", "g", "i")
                .awsSts("cn-north-1"))
        .isEqualTo("https://sts-proxy.cn-north-1.amazonaws.com/");
    assertThat(own.awsSts("cn-north-1")).isEqualTo("https://sts.cn-north-1.amazonaws.com/proxy/");
  }

  @Test
  void theStsProxyIsAnHttpUrlWithOptionalCredentials() {
    var options =
        new RotationEndpoints("a", "b", "c", "d", java.util.Optional.of("http://u:p@proxy:3128"))
            .awsStsProxyOptions()
            .orElseThrow();
    assertThat(options.getHost()).isEqualTo("proxy");
    assertThat(options.getPort()).isEqualTo(3128);
    assertThat(options.getUsername()).isEqualTo("u");
    assertThat(options.getPassword()).isEqualTo("p");
    assertThat(new RotationEndpoints("a", "b", "c", "d").awsStsProxyOptions()).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new RotationEndpoints("a", "b", "c", "d", java.util.Optional.of("socks5://p:1"))
                    .awsStsProxyOptions())
        .hasMessageContaining("http://[user:password@]host:port")
        .hasMessageNotContaining("p:1");
  }
}
