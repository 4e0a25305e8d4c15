package io.aigw.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aigw.core.codec.YamlDocuments.YamlSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A syntax error says what is wrong and where, as a user reads the file. */
class YamlDocumentsTest {

  private static YamlSyntaxException error(String text) {
    return catchThrowableOfType(YamlSyntaxException.class, () -> YamlDocuments.parse(text));
  }

  @Test
  void aTabIsNamedOnItsOwnLine() {
    YamlSyntaxException e =
        error("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n\tbad: tab\n");

    assertThat(e.line()).isEqualTo(5);
    assertThat(e.getMessage())
        .isEqualTo(
            "found a tab, which cannot start a token (indent with spaces) (while scanning for the"
                + " next token)");
  }

  @Test
  void aMissingColonSaysSoAndWhereTheKeyStarted() {
    YamlSyntaxException e = error("spec:\n  parentRefs: []\n  rules\n  hostnames: []\n");

    assertThat(e.line()).isEqualTo(4);
    assertThat(e.getMessage())
        .isEqualTo("could not find expected ':' (while scanning a simple key from line 3)");
  }

  /** Mistakes inside a value, whose problem text SnakeYAML writes with a piece of the value. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "stringData:\n  apiKey: \"sk-zqxjkvw\\qwertyu\"\n",
        "stringData:\n  apiKey: \"C:\\Uzqxjkvw\\svc\"\n",
        "stringData:\n  apiKey: \"\\xzqxjkvw\"\n",
        "stringData:\n  apiKey: @zqxjkvw\n",
        "stringData:\n  apiKey: |zqxjkvw\n    x\n",
        "stringData:\n  apiKey: !<zqxjkvw\n",
        "stringData:\n  apiKey: \"x\"zqxjkvw\n",
        "stringData: {apiKey: zqxjkvw\n",
        "stringData:\n  apiKey: !!float sk-zqxjkvw\n",
        "stringData:\n  apiKey: !!int 0xZZzqxjkvw\n",
        "stringData:\n  apiKey: !!binary sk-zqxjkvw\n",
        "stringData:\n  apiKey: !!float |\n    zqxjkvw\n    second line\n"
      })
  void noPieceOfTheTextIsQuoted(String text) {
    YamlSyntaxException e = error(text);

    for (int i = 0; i + 3 <= "zqxjkvw".length(); i++) {
      assertThat(e.getMessage()).doesNotContain("zqxjkvw".substring(i, i + 3));
    }
    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("qwer").doesNotContain("sers");
  }

  @Test
  void anErrorAtTheEndOfTheTextIsOnItsLastLine() {
    YamlSyntaxException e = error("metadata:\n  name: x\nkind: [unclosed\n");

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage()).isEqualTo("expected ',' or ']' (while parsing a flow sequence)");
  }

  @Test
  void aFileOfThousandsOfObjectsIsReadBeyondSnakeYamlsOwnLimit() throws Exception {
    String object = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d}\ndata: {k: %s}\n";
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < 4 * 1024 * 1024; i++) {
      text.append(object.formatted(i, "v".repeat(200)));
    }

    assertThat(YamlDocuments.parse(text.toString())).hasSizeGreaterThan(10_000);
  }

  @Test
  void emptyDocumentsAddNothingAndEmptyStringsStayStrings() throws Exception {
    var documents =
        YamlDocuments.parse("---\na: ''\nb:\n---\n# only a comment\n---\nc: \"\"\n---\n");

    assertThat(documents)
        .extracting(d -> d.node().toString())
        .containsExactly("{\"a\":\"\",\"b\":null}", "{\"c\":\"\"}");
  }

  @Test
  void aKeyGivenTwiceIsRefusedNamingTheKeyAndItsLineButNoValue() {
    String text =
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n"
            + "  apiKey: sk-first-value\n  apiKey: sk-second-value\n";
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> YamlDocuments.parse(text))
        .isInstanceOf(YamlDocuments.YamlSyntaxException.class)
        .hasMessage("the key 'apiKey' is given twice in one mapping")
        .hasMessageNotContaining("sk-")
        .satisfies(
            e ->
                org.assertj.core.api.Assertions.assertThat(
                        ((YamlDocuments.YamlSyntaxException) e).line())
                    .isBetween(5, 6));
  }
}
