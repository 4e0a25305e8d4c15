package io.aigw.deploy.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.admin.api.RestoreException;
import io.aigw.admin.api.RestoreOutcome;
import io.aigw.admin.api.RestoredObject;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryRestoreTargetTest {

  private static final String FILE =
      """
      # routes of team a
      apiVersion: aigateway.envoyproxy.io/v1beta1
      kind: AIServiceBackend
      metadata:
        name: openai
      spec:
        schema:
          name: OpenAI
      ---
      # the chat route
      apiVersion: aigateway.envoyproxy.io/v1beta1
      kind: AIGatewayRoute
      metadata:
        name: chat
      spec:
        rules: []   # no rules yet
      ---
      apiVersion: v1
      kind: List
      items:
        - apiVersion: v1
          kind: ConfigMap
          metadata:
            name: settings
          data:
            a: "1"
      """;

  @TempDir Path dir;

  private static RestoredObject recorded(String kind, String apiVersion, String name, String spec) {
    ObjectNode object =
        (ObjectNode)
            CanonicalJson.read(
                "{\"apiVersion\":\""
                    + apiVersion
                    + "\",\"kind\":\""
                    + kind
                    + "\",\"metadata\":{\"name\":\""
                    + name
                    + "\",\"namespace\":\"default\",\"uid\":\"u-1\",\"resourceVersion\":\"7\","
                    + "\"generation\":2},"
                    + spec
                    + "}");
    return new RestoredObject(
        ObjectKey.of(apiVersion, kind, "default", name), apiVersion, object, 42);
  }

  /** Restores AIGatewayRoute default/{@code name} with {@code spec} (JSON after the metadata). */
  /** Restores backend team-a's openai as recorded with the schema {@code schema}. */
  private RestoreOutcome restoreBackend(String schema) throws RestoreException {
    return new DirectoryRestoreTarget(dir)
        .restore(
            recorded(
                "AIServiceBackend",
                "aigateway.envoyproxy.io/v1beta1",
                "openai",
                "\"spec\":{\"schema\":{\"name\":\"" + schema + "\"}}"));
  }

  private RestoreOutcome restoreRoute(String name, String spec) throws RestoreException {
    return new DirectoryRestoreTarget(dir)
        .restore(recorded("AIGatewayRoute", "aigateway.envoyproxy.io/v1beta1", name, spec));
  }

  @Test
  void replacesTheDeclaringDocumentAndKeepsTheRestOfTheFile() throws Exception {
    Path file = dir.resolve("team-a.yaml");
    Files.writeString(file, FILE);
    RestoreOutcome outcome =
        restoreRoute("chat", "\"spec\":{\"rules\":[{\"backendRefs\":[{\"name\":\"openai\"}]}]}");
    assertThat(outcome.changed()).isTrue();
    assertThat(outcome.target()).isEqualTo("file team-a.yaml");
    String text = Files.readString(file);
    assertThat(text).startsWith(FILE.substring(0, FILE.indexOf("---\n") + 4));
    assertThat(text).contains("- name: openai").doesNotContain("no rules yet");
    // the note above the object stays; the comment inside it went with the old version
    assertThat(text)
        .contains("---\n# the chat route\napiVersion: aigateway.envoyproxy.io/v1beta1\n");
    assertThat(text)
        .doesNotContain("uid:")
        .doesNotContain("resourceVersion")
        .doesNotContain("generation");
    assertThat(text).endsWith(FILE.substring(FILE.lastIndexOf("---\n")));
    try (var listing = Files.list(dir)) {
      assertThat(listing).containsExactly(file);
    }
  }

  @Test
  void reportsNoChangeWhenTheFileHasThatVersion() throws Exception {
    Files.writeString(dir.resolve("team-a.yaml"), FILE);
    RestoreOutcome outcome = restoreBackend("OpenAI");
    assertThat(outcome.changed()).isFalse();
    assertThat(Files.readString(dir.resolve("team-a.yaml"))).isEqualTo(FILE);
  }

  @Test
  void replacesAnItemOfAList() throws Exception {
    Files.writeString(dir.resolve("team-a.yaml"), FILE);
    new DirectoryRestoreTarget(dir)
        .restore(recorded("ConfigMap", "v1", "settings", "\"data\":{\"a\":\"2\"}"));
    String text = Files.readString(dir.resolve("team-a.yaml"));
    assertThat(text).contains("kind: List").contains("a: \"2\"").doesNotContain("a: \"1\"");
  }

  @Test
  void writesAnObjectNoFileDeclaresToANewFile() throws Exception {
    Files.writeString(dir.resolve("team-a.yaml"), FILE);
    RestoreOutcome outcome = restoreRoute("gone", "\"spec\":{}");
    assertThat(outcome.target()).isEqualTo("file restored-aigatewayroute-default-gone.yaml");
    assertThat(Files.readString(dir.resolve("restored-aigatewayroute-default-gone.yaml")))
        .contains("name: gone")
        .contains("namespace: default");
  }

  @Test
  void aFileHeaderAboveTheReplacedDocumentIsKept() throws Exception {
    Files.writeString(dir.resolve("team-a.yaml"), FILE);
    restoreBackend("AzureOpenAI");
    String text = Files.readString(dir.resolve("team-a.yaml"));
    assertThat(text).startsWith("# routes of team a\napiVersion:").contains("name: AzureOpenAI");
  }

  @Test
  void refusesToWriteANewFileWhileAFileThatMayDeclareTheObjectDoesNotParse() throws Exception {
    Files.writeString(dir.resolve("team-a.yaml"), FILE);
    String broken = FILE.replace("  name: chat\n", "  name: chat\n  : [broken\n");
    Files.writeString(dir.resolve("team-a.yaml"), broken);

    assertThatThrownBy(() -> restoreRoute("chat", "\"spec\":{}"))
        .isInstanceOfSatisfying(
            RestoreException.class,
            e -> assertThat(e.reason()).isEqualTo(RestoreException.Reason.CONFLICT))
        .hasMessage(
            "no file that parses declares AIGatewayRoute default/chat, and a document naming it"
                + " does not parse in team-a.yaml; fix it first, since it may be the one declaring"
                + " AIGatewayRoute default/chat");
    assertThat(Files.readString(dir.resolve("team-a.yaml"))).isEqualTo(broken);
    try (var listing = Files.list(dir)) {
      assertThat(listing).hasSize(1);
    }
  }

  @Test
  void aBrokenFileThatDoesNotNameTheObjectDoesNotHoldUpItsRestore() throws Exception {
    Files.writeString(dir.resolve("draft.yaml"), "kind: [unfinished\n");
    Files.write(
        dir.resolve("latin1.yaml"), "# caf\u00e9\nkind: ConfigMap\n".getBytes("ISO-8859-1"));

    RestoreOutcome outcome = restoreRoute("gone", "\"spec\":{}");

    assertThat(outcome.target()).isEqualTo("file restored-aigatewayroute-default-gone.yaml");
  }

  @Test
  void aFileThatIsNotUtf8AndNamesTheObjectHoldsUpItsRestore() throws Exception {
    Files.write(
        dir.resolve("latin1.yaml"),
        ("# caf\u00e9\napiVersion: aigateway.envoyproxy.io/v1beta1\nkind: AIGatewayRoute\n"
                + "metadata: {name: gone}\nspec: {}\n")
            .getBytes("ISO-8859-1"));

    assertThatThrownBy(() -> restoreRoute("gone", "\"spec\":{}"))
        .isInstanceOfSatisfying(
            RestoreException.class,
            e -> assertThat(e.reason()).isEqualTo(RestoreException.Reason.CONFLICT))
        .hasMessage(
            "latin1.yaml names AIGatewayRoute default/gone and is not UTF-8, so its document cannot"
                + " be replaced in place; convert the file to UTF-8 and restore again");
  }

  @Test
  void refusesSecretsAndLeavesFilesAlone() throws Exception {
    Files.writeString(dir.resolve("team-a.yaml"), FILE);
    assertThatThrownBy(
            () ->
                new DirectoryRestoreTarget(dir)
                    .restore(recorded("Secret", "v1", "key", "\"data\":{\"k\":\"sha256:00\"}")))
        .isInstanceOf(RestoreException.class)
        .extracting(e -> ((RestoreException) e).reason())
        .isEqualTo(RestoreException.Reason.NOT_RESTORABLE);
    assertThat(Files.readString(dir.resolve("team-a.yaml"))).isEqualTo(FILE);
  }

  @Test
  void splitsAndJoinsTextUnchanged() {
    assertThat(String.join("", ManifestChunks.split(FILE))).isEqualTo(FILE);
    assertThat(String.join("", ManifestChunks.split("a: 1\n--- # x\nb: 2")))
        .isEqualTo("a: 1\n--- # x\nb: 2");
    assertThat(ManifestChunks.isSeparator("---\n")).isTrue();
    assertThat(ManifestChunks.isSeparator("----\n")).isFalse();
  }
}
