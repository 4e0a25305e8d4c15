package io.aigw.watchers.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A broken Secret manifest is rejected with a reason that goes into the log, the admin API and the
 * console: the reason must never quote the value, whatever the mistake next to it.
 */
class ManifestParserSecretLeakTest {

  private static final String VALUE = "sk-planted-1f2e3d4c5b-do-not-leak";
  private static final String ENCODED =
      Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8));

  private static final String HEAD =
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\ntype: Opaque\n";

  static Stream<String> brokenSecrets() {
    return Stream.of(
        HEAD + "stringData:\n  apiKey: \"" + VALUE + "\n",
        HEAD + "stringData:\n  apiKey: '" + VALUE + "\n",
        HEAD + "stringData:\n\tapiKey: " + VALUE + "\n",
        HEAD + "stringData:\n  apiKey: " + VALUE + ": more\n",
        HEAD + "stringData:\n  apiKey " + VALUE + "\n  other: x\n",
        HEAD + "stringData:\n  apiKey: [" + VALUE + "\n",
        HEAD + "stringData:\n  apiKey: {" + VALUE + "\n",
        HEAD + "stringData:\n  apiKey: " + VALUE + "\n apiKey2: " + VALUE + "\n",
        HEAD + "stringData:\n  apiKey: \"" + VALUE + "\\q\"\n",
        HEAD + "stringData:\n  apiKey:\n    nested: " + VALUE + "\n",
        HEAD + "stringData: " + VALUE + "\n",
        HEAD + "data:\n  apiKey: " + VALUE + "!\n",
        HEAD + "data:\n  apiKey: " + ENCODED + "%%\n",
        HEAD + "data:\n  apiKey:\n    - " + ENCODED + "\n",
        HEAD + "data: [" + ENCODED + "]\n",
        "apiVersion: v1\nkind: Secret\nmetadata: " + VALUE + "\nstringData:\n  k: v\n",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: [" + VALUE + "]\n",
        "- " + VALUE + "\n",
        VALUE + "\n",
        "\"" + VALUE + "\n");
  }

  @ParameterizedTest
  @MethodSource("brokenSecrets")
  void aRejectedSecretNeverQuotesItsValue(String manifest) {
    ParsedFile parsed = ManifestParser.parse(manifest.getBytes(StandardCharsets.UTF_8));

    assertThat(parsed).isInstanceOf(ParsedFile.Failure.class);
    String reason = ((ParsedFile.Failure) parsed).reason();
    assertThat(reason).isNotBlank().doesNotContain(VALUE).doesNotContain(ENCODED);
    assertThat(reason).doesNotContain(VALUE.substring(0, 12));
  }

  /** A Secret with a typo kubectl refuses too, and the field the reason names. */
  static Stream<Arguments> secretsWithATypo() {
    return Stream.of(
        Arguments.of(HEAD + "stringdata:\n  apiKey: " + VALUE + "\n", "unknown field stringdata"),
        Arguments.of(HEAD + "stringData:\napiKey: " + VALUE + "\n", "unknown field apiKey"),
        Arguments.of(
            HEAD + "stringData:\n  apiKey: x\nnote: " + VALUE + "\n", "unknown field note"),
        Arguments.of(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\n  apiKey: " + VALUE + "\n",
            "unknown field metadata.apiKey"),
        Arguments.of(
            HEAD.replace("kind: Secret", "kind: secret") + "stringData:\n  apiKey: " + VALUE,
            "apiVersion v1, kind secret: a Secret is apiVersion v1, kind Secret"),
        Arguments.of(
            HEAD.replace("apiVersion: v1", "apiVersion: apps/v1")
                + "stringData:\n  apiKey: "
                + VALUE,
            "apiVersion apps/v1, kind Secret: a Secret is apiVersion v1, kind Secret"),
        Arguments.of(
            HEAD.replace("kind: Secret", "kind: Secrets") + "data:\n  apiKey: " + ENCODED,
            "apiVersion v1 has no kind Secrets"),
        Arguments.of(
            HEAD.replace("kind: Secret", "kind: ConfigMap") + "stringData:\n  apiKey: " + VALUE,
            "ConfigMap: stringData is a field of a Secret (apiVersion v1, kind Secret) only"),
        Arguments.of(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\ntype:\n  apiKey: "
                + VALUE
                + "\n",
            "Secret openai: type must be a string"),
        Arguments.of(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\n  labels: {apiKey: ["
                + VALUE
                + "]}\n",
            "Secret openai: metadata.labels must be a map of strings"),
        Arguments.of(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: openai\n  annotations:\n"
                + "    stringData:\n      apiKey: "
                + VALUE
                + "\n",
            "Secret openai: metadata.annotations must be a map of strings"),
        Arguments.of(
            "apiVersion: v1\nkind: List\nitems:\n  - metadata: {name: openai}\n    stringData: {apiKey: "
                + VALUE
                + "}\n",
            "List items[0]: apiVersion and kind are missing"),
        Arguments.of(
            HEAD + "immutable: " + VALUE + "\nstringData:\n  apiKey: x\n",
            "Secret openai: immutable must be true or false"),
        Arguments.of(
            "apiVersion: v1\nkind: Config\nusers:\n  - name: u\n    user: {token: " + VALUE + "}\n",
            "apiVersion v1 has no kind Config"));
  }

  @ParameterizedTest
  @MethodSource("secretsWithATypo")
  void aSecretWithATypoIsRefusedNotRecordedAsWritten(String manifest, String reason) {
    ParsedFile parsed =
        ManifestParser.parse(
            ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: before}\n---\n" + manifest)
                .getBytes(StandardCharsets.UTF_8));

    assertThat(parsed).isInstanceOf(ParsedFile.Failure.class);
    ParsedFile.Failure failure = (ParsedFile.Failure) parsed;
    assertThat(failure.reason())
        .contains(reason)
        .endsWith("the whole file is refused")
        .doesNotContain(ENCODED.substring(0, 8));
    for (int i = 0; i + 6 <= VALUE.length(); i++) {
      assertThat(failure.reason()).doesNotContain(VALUE.substring(i, i + 6));
    }
    assertThat(failure.line()).isEqualTo(5);
  }

  @Test
  void aSecretFromAnOldExportWithClusterNameIsTaken() {
    ParsedFile parsed =
        ManifestParser.parse(
            (HEAD.replace("  name: openai\n", "  name: openai\n  clusterName: \"\"\n")
                    + "stringData:\n  apiKey: "
                    + VALUE
                    + "\n")
                .getBytes(StandardCharsets.UTF_8));

    assertThat(parsed).isInstanceOf(ParsedFile.Objects.class);
  }
}
