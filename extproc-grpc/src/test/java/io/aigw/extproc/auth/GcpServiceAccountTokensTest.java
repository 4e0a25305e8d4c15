package io.aigw.extproc.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class GcpServiceAccountTokensTest {

  private static String key(String email) {
    return GcpTestKeys.serviceAccountKey(email);
  }

  @Test
  void backendsWithKeysOfTheirOwnKeepEachTheirToken() throws Exception {
    GcpServiceAccountTokens tokens = new GcpServiceAccountTokens();
    String gemini = key("gemini@p.iam.gserviceaccount.com");
    String claude = key("claude@p.iam.gserviceaccount.com");
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    String first = tokens.token(gemini, now);
    String other = tokens.token(claude, now);
    assertThat(other).isNotEqualTo(first);
    // requests alternate between the two: neither token is signed again
    assertThat(tokens.token(gemini, now.plusSeconds(60))).isSameAs(first);
    assertThat(tokens.token(claude, now.plusSeconds(60))).isSameAs(other);
    // five minutes before it expires, a token is made anew
    assertThat(tokens.token(gemini, now.plusSeconds(3600 - 299))).isNotSameAs(first);
  }
}
