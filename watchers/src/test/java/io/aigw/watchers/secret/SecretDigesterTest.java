package io.aigw.watchers.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SecretDigesterTest {

  static ObjectNode secret(String json) {
    return (ObjectNode) CanonicalJson.read(json);
  }

  static String b64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void digestIsTheSha256OfTheBytes() {
    assertThat(SecretDigester.digestOf("abc".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void stringDataIsMergedIntoDataAndWinsOnTheSameKey() {
    ObjectNode input =
        secret(
            """
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"type":"Opaque",
             "data":{"a":"%s","b":"%s"},"stringData":{"b":"plain-b","c":"plain-c"}}
            """
                .formatted(b64("value-a"), b64("value-b")));
    String before = input.toString();

    DigestedSecret digested = SecretDigester.digest(input);

    assertThat(input.toString()).isEqualTo(before);
    assertThat(digested.recorded().has("stringData")).isFalse();
    assertThat(digested.recorded().get("type").asText()).isEqualTo("Opaque");
    assertThat(digested.recorded().get("data").get("a").asText())
        .isEqualTo(SecretDigester.digestOf("value-a".getBytes(StandardCharsets.UTF_8)));
    assertThat(digested.recorded().get("data").get("b").asText())
        .isEqualTo(SecretDigester.digestOf("plain-b".getBytes(StandardCharsets.UTF_8)));
    assertThat(digested.values()).containsOnlyKeys("a", "b", "c");
    assertThat(new String(digested.values().get("c"), StandardCharsets.UTF_8)).isEqualTo("plain-c");
    assertThat(digested.toString()).doesNotContain("plain-").contains("[a, b, c]");
  }

  @Test
  void base64WithLineBreaksIsAcceptedAsTheApiServerDoes() {
    String folded = b64("a-long-enough-value-to-fold");
    folded = folded.substring(0, 10) + "\n" + folded.substring(10);

    DigestedSecret digested =
        SecretDigester.digest(
            secret("{\"data\":{\"k\":" + CanonicalJson.writeValue(folded) + "}}"));

    assertThat(new String(digested.values().get("k"), StandardCharsets.UTF_8))
        .isEqualTo("a-long-enough-value-to-fold");
  }

  @Test
  void aSecretWithoutDataHasNoDataField() {
    DigestedSecret digested = SecretDigester.digest(secret("{\"metadata\":{\"name\":\"s\"}}"));

    assertThat(digested.recorded().has("data")).isFalse();
    assertThat(digested.values()).isEmpty();
  }

  @Test
  void invalidValuesAreRejectedNamingTheKeyButNotTheValue() {
    assertThatThrownBy(() -> SecretDigester.digest(secret("{\"data\":{\"k\":\"s3cr*t\"}}")))
        .hasMessage("data.k is not valid base64")
        .hasNoCause();
    assertThatThrownBy(() -> SecretDigester.digest(secret("{\"stringData\":{\"k\":42}}")))
        .hasMessage("stringData.k must be a string");
    assertThatThrownBy(() -> SecretDigester.digest(secret("{\"data\":[\"s3cret\"]}")))
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void theLastAppliedAnnotationIsDigestedBecauseItCopiesTheData() {
    DigestedSecret digested =
        SecretDigester.digest(
            secret(
                """
                {"metadata":{"name":"s","annotations":{
                  "kubectl.kubernetes.io/last-applied-configuration":"{\\"stringData\\":{\\"k\\":\\"s3cret\\"}}",
                  "team":"ai"}},
                 "stringData":{"k":"s3cret"}}
                """));

    assertThat(digested.recorded().toString()).doesNotContain("s3cret").contains("\"team\":\"ai\"");
    assertThat(
            digested
                .recorded()
                .at("/metadata/annotations")
                .get(SecretDigester.LAST_APPLIED)
                .asText())
        .startsWith("sha256:");
  }

  @Property
  void theRecordedObjectNeverContainsAValue(@ForAll("values") String value) {
    DigestedSecret digested =
        SecretDigester.digest(
            secret(
                "{\"data\":{\"a\":\"%s\"},\"stringData\":{\"b\":%s}}"
                    .formatted(b64(value), CanonicalJson.writeValue(value))));

    String recorded = CanonicalJson.write(digested.recorded());
    assertThat(recorded).doesNotContain(value).doesNotContain(b64(value));
    assertThat(digested.values().get("a")).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.strings()
        .alpha()
        .numeric()
        .withChars("-_./+=")
        .ofMinLength(8)
        .ofMaxLength(64);
  }
}
