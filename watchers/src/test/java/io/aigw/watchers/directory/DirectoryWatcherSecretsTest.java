package io.aigw.watchers.directory;

import static io.aigw.watchers.directory.WatchDriver.deletes;
import static io.aigw.watchers.directory.WatchDriver.upserts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import io.aigw.watchers.secret.SecretDigester;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryWatcherSecretsTest {

  static final String API_KEY = "sk-planted-4f1c9e2b7a";
  static final String ORG = "org-planted-93d0b1";
  static final String ROTATED = "sk-rotated-77e0aa51c2";

  @TempDir Path dir;
  final WatchDriver watch = new WatchDriver();

  @AfterEach
  void stop() {
    watch.stop();
  }

  static String secret(String apiKey) {
    return """
        apiVersion: v1
        kind: Secret
        metadata:
          name: openai-key
          annotations:
            kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"org":"%s"}}'
        type: Opaque
        data:
          apiKey: %s
        stringData:
          org: %s
        """
        .formatted(ORG, base64(apiKey), ORG);
  }

  @Test
  void aSecretIsRecordedWithDigestsAndItsValuesGoToTheStoreOnly() throws IOException {
    write(secret(API_KEY));

    List<LogEvent> events = watch.start(dir);

    WatchEvent recorded = upserts(events).get(0);
    JsonNode object = CanonicalJson.read(recorded.objectJson());
    assertThat(object.get("type").asText()).isEqualTo("Opaque");
    assertThat(object.has("stringData")).isFalse();
    assertThat(object.get("data").get("apiKey").asText()).isEqualTo(digest(API_KEY));
    assertThat(object.get("data").get("org").asText()).isEqualTo(digest(ORG));
    assertThat(watch.watcher.secretValues().get("default", "openai-key", "apiKey"))
        .hasValueSatisfying(
            v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo(API_KEY));
    assertThat(watch.watcher.secretValues().get("default", "openai-key", "org"))
        .hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo(ORG));
    assertNoValueIn(watch.all, API_KEY, ORG);
  }

  @Test
  void aRotationEmitsAnUpsertWithTheNewDigest() throws IOException {
    write(secret(API_KEY));
    watch.start(dir);

    write(secret(ROTATED));

    List<WatchEvent> events = upserts(watch.poll());
    assertThat(events).singleElement();
    JsonNode object = CanonicalJson.read(events.get(0).objectJson());
    assertThat(object.get("data").get("apiKey").asText()).isEqualTo(digest(ROTATED));
    assertThat(watch.watcher.secretValues().get("default", "openai-key", "apiKey"))
        .hasValueSatisfying(
            v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo(ROTATED));
    assertNoValueIn(watch.all, API_KEY, ORG, ROTATED);
  }

  @Test
  void deletingTheSecretDropsItsValues() throws IOException {
    write(secret(API_KEY));
    watch.start(dir);

    Files.delete(dir.resolve("secret.yaml"));

    assertThat(deletes(watch.poll())).singleElement();
    assertThat(watch.watcher.secretValues().contains("default", "openai-key")).isFalse();
    assertNoValueIn(watch.all, API_KEY, ORG);
  }

  @Test
  void aBrokenSecretFileNeitherLeaksNorChangesTheValues() throws IOException {
    write(secret(API_KEY));
    watch.start(dir);

    write(secret(API_KEY).replace("  apiKey: ", "  apiKey: !!binary ~~~" + ROTATED));
    assertThat(watch.poll()).singleElement().isInstanceOf(SourceError.class);
    write(secret(API_KEY).replace("  org: " + ORG, "  org: " + ROTATED + ": [x"));
    assertThat(watch.poll()).singleElement().isInstanceOf(SourceError.class);
    write(secret(API_KEY).replace(base64(API_KEY), "not*base64*" + ROTATED));
    assertThat(watch.poll())
        .singleElement()
        .isInstanceOfSatisfying(
            SourceError.class, e -> assertThat(e.reason()).contains("data.apiKey"));

    assertThat(watch.watcher.secretValues().get("default", "openai-key", "apiKey"))
        .hasValueSatisfying(
            v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo(API_KEY));
    assertNoValueIn(watch.all, API_KEY, ORG, ROTATED);
  }

  @Test
  void aSecretWithATypoIsRecordedAsASourceErrorWithoutItsValues() throws IOException {
    write(secret(API_KEY));
    watch.start(dir);

    write(secret(ROTATED).replace("stringData:", "stringdata:"));
    assertThat(watch.poll())
        .singleElement()
        .isInstanceOfSatisfying(
            SourceError.class, e -> assertThat(e.reason()).contains("unknown field stringdata"));
    write(secret(ROTATED).replace("kind: Secret", "kind: secret"));
    assertThat(watch.poll()).singleElement().isInstanceOf(SourceError.class);

    assertThat(watch.watcher.secretValues().get("default", "openai-key", "apiKey"))
        .hasValueSatisfying(
            v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo(API_KEY));
    assertNoValueIn(watch.all, API_KEY, ORG, ROTATED);
  }

  @Test
  void theSecretsOfASecretListAreRecordedAsDigests() throws IOException {
    String secret = secret(API_KEY).replace("\n", "\n    ").strip();
    write("apiVersion: v1\nkind: SecretList\nitems:\n  - " + secret + "\n");

    List<LogEvent> events = watch.start(dir);

    WatchEvent recorded = upserts(events).get(0);
    assertThat(recorded.kind()).isEqualTo("Secret");
    assertThat(CanonicalJson.read(recorded.objectJson()).at("/data/apiKey").asText())
        .isEqualTo(digest(API_KEY));
    assertNoValueIn(watch.all, API_KEY, ORG);
  }

  @Test
  void theItemsOfASecretListAsTheApiServerWritesThemAreSecrets() throws IOException {
    // the API server leaves kind and apiVersion out of a list's items
    write(
        "apiVersion: v1\nkind: SecretList\nitems:\n  - metadata: {name: raw}\n    data: {apiKey: "
            + base64(API_KEY)
            + "}\n");

    List<LogEvent> events = watch.start(dir);

    WatchEvent recorded = upserts(events).get(0);
    assertThat(recorded.key().toString()).isEqualTo("Secret default/raw");
    assertThat(CanonicalJson.read(recorded.objectJson()).at("/data/apiKey").asText())
        .isEqualTo(digest(API_KEY));
    assertNoValueIn(watch.all, API_KEY);
  }

  static void assertNoValueIn(List<LogEvent> events, String... values) {
    assertThat(events).isNotEmpty();
    for (LogEvent event : events) {
      String text = event.toString();
      for (String value : values) {
        assertThat(text)
            .doesNotContain(value)
            .doesNotContain(base64(value))
            .doesNotContain(base64(value).replace("=", ""));
      }
    }
  }

  static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  static String digest(String value) {
    return SecretDigester.digestOf(value.getBytes(StandardCharsets.UTF_8));
  }

  void write(String text) throws IOException {
    Files.writeString(dir.resolve("secret.yaml"), text);
  }
}
