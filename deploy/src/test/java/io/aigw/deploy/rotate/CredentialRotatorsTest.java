package io.aigw.deploy.rotate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
  }

  @Test
  void stsOfTheChinaRegionsIsUnderAmazonawsComCn() {
    RotationEndpoints endpoints = RotationEndpoints.PUBLIC_CLOUDS;
    assertThat(endpoints.awsSts("us-east-1")).isEqualTo("https://sts.us-east-1.amazonaws.com/");
    assertThat(endpoints.awsSts("cn-north-1"))
        .isEqualTo("https://sts.cn-north-1.amazonaws.com.cn/");
  }
}
