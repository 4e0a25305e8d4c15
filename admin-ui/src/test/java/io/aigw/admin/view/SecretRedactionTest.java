package io.aigw.admin.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretRedactionTest {

  private static final ObjectKey SECRET = new ObjectKey("", "Secret", "default", "key");
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void keepsKeyNamesAndShowsDigestsKeyedSoNoGuessCanBeChecked() {
    var recorded = CanonicalJson.read("{\"data\":{\"apiKey\":\"" + DIGEST + "\"}}");
    String shown = SecretRedaction.redact(SECRET, recorded).path("data").path("apiKey").asText();
    assertThat(shown)
        .startsWith("digest:")
        .hasSize("digest:".length() + 32)
        .isEqualTo(SecretRedaction.shown(DIGEST))
        .doesNotContain("ab".repeat(8));
    var other = CanonicalJson.read("{\"data\":{\"apiKey\":\"sha256:" + "cd".repeat(32) + "\"}}");
    assertThat(SecretRedaction.redact(SECRET, other).path("data").path("apiKey").asText())
        .as("another value shows another digest")
        .isNotEqualTo(shown);
  }

  @Test
  void replacesAnyValueThatIsNotADigest() {
    String encoded = Base64.getEncoder().encodeToString("hunter2".getBytes(StandardCharsets.UTF_8));
    var leaked =
        CanonicalJson.read(
            "{\"data\":{\"apiKey\":\""
                + encoded
                + "\"},\"stringData\":{\"other\":\"plain\"},"
                + "\"metadata\":{\"annotations\":{\""
                + SecretRedaction.LAST_APPLIED
                + "\":\"{\\\"stringData\\\":{\\\"other\\\":\\\"plain\\\"}}\",\"keep\":\"me\"}}}");
    String shown = SecretRedaction.redact(SECRET, leaked).toString();
    assertThat(shown)
        .doesNotContain(encoded)
        .doesNotContain("hunter2")
        .doesNotContain("plain")
        .contains(
            SecretRedaction.shown(
                SecretRedaction.digest("hunter2".getBytes(StandardCharsets.UTF_8))))
        .contains("\"other\":\"digest:")
        .contains("\"keep\":\"me\"");
  }

  @Test
  void aSecretWithATypoRecordedBeforeSourcesRefusedItShowsNoValue() {
    var typo =
        CanonicalJson.read(
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"secret\","
                + "\"metadata\":{\"name\":\"key\",\"apiKey\":\"sk-planted-meta\"},"
                + "\"stringdata\":{\"apiKey\":\"sk-planted-typo\"},\"apiKey\":\"sk-planted-top\"}");
    ObjectKey key = new ObjectKey("apps", "secret", "default", "key");

    String shown = SecretRedaction.redact(key, typo).toString();

    assertThat(shown)
        .doesNotContain("sk-planted")
        .contains("\"stringdata\":\"digest:")
        .contains("\"apiKey\":\"digest:")
        .contains("\"name\":\"key\"");
  }

  @Test
  void aTypoOfAKindOrAScalarDataShowsNoValue() {
    var typo =
        CanonicalJson.read(
            "{\"apiVersion\":\"v1\",\"kind\":\"Secrets\",\"metadata\":{\"name\":\"key\"},"
                + "\"data\":\"c2stcGxhbnRlZA==\",\"note\":[\"sk-planted-list\"]}");

    String shown =
        SecretRedaction.redact(new ObjectKey("", "Secrets", "default", "key"), typo).toString();

    assertThat(shown)
        .doesNotContain("c2stcGxhbnRlZA")
        .doesNotContain("sk-planted")
        .contains("\"data\":\"digest:");
  }

  @Test
  void aValueUnderTypeImmutableOrALabelIsShownAsADigest() {
    var recorded =
        CanonicalJson.read(
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"type\":{\"apiKey\":\"sk-planted-type\"},"
                + "\"immutable\":\"sk-planted-imm\",\"metadata\":{\"name\":\"key\","
                + "\"labels\":{\"team\":\"a\",\"apiKey\":[\"sk-planted-label\"]},"
                + "\"annotations\":{\"stringData\":{\"apiKey\":\"sk-planted-ann\"}}}}");

    String shown = SecretRedaction.redact(SECRET, recorded).toString();

    assertThat(shown).doesNotContain("sk-planted").contains("\"team\":\"a\"");
  }

  @Test
  void leavesOtherKindsAlone() {
    var configMap = CanonicalJson.read("{\"data\":{\"apiKey\":\"plain\"}}");
    assertThat(SecretRedaction.redact(new ObjectKey("", "ConfigMap", "default", "x"), configMap))
        .isSameAs(configMap);
  }
}
