package io.aigw.extproc.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.CredentialFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialSourcesTest {

  @TempDir Path dir;

  private CredentialFile credential(Path file) {
    return new CredentialFile(
        file.toString(), new CredentialFile.SecretKeyRef("ns", "s", "apiKey"));
  }

  private final AtomicLong clock = new AtomicLong();

  /** A key file and a source that checks it again at most every 1,000 ticks of {@code clock}. */
  private FileCredentialSource keyFile(Path file, String key) throws IOException {
    Files.writeString(file, key);
    return new FileCredentialSource(clock::get, 1_000);
  }

  /** What {@code source} gives for {@code file} when the clock reads {@code millis}. */
  private Optional<String> readAt(FileCredentialSource source, Path file, long millis) {
    clock.set(millis);
    return source.read(credential(file));
  }

  /** Rewrites the file with a later modification time, as a write seconds later would leave. */
  private static void rewrite(Path file, String text) throws IOException {
    long before = Files.getLastModifiedTime(file).toMillis();
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.fromMillis(before + 5_000));
  }

  @Test
  void aFileIsReReadOnlyAfterTheRecheckIntervalAndWhenItChanged() throws Exception {
    Path file = dir.resolve("apiKey");
    FileCredentialSource source = keyFile(file, "first\n");
    assertThat(source.read(credential(file))).hasValue("first");
    rewrite(file, "second-key");
    assertThat(source.read(credential(file))).as("cached within the interval").hasValue("first");
    assertThat(readAt(source, file, 1_000)).hasValue("second-key");
    Files.delete(file);
    assertThat(readAt(source, file, 2_000))
        .as("the last key is served one period more")
        .hasValue("second-key");
    assertThat(readAt(source, file, 3_000))
        .as("a file still vanished at the next check gives nothing")
        .isEmpty();
  }

  @Test
  void aKeyOfTheSameLengthCopiedWithItsTimesKeptIsARotationToo() throws Exception {
    Path file = dir.resolve("apiKey");
    FileCredentialSource source = keyFile(file, "sk-AAAA\n");
    assertThat(source.read(credential(file))).hasValue("sk-AAAA");
    FileTime modified = Files.getLastModifiedTime(file);
    Files.writeString(file, "sk-BBBB\n");
    Files.setLastModifiedTime(file, modified);
    assertThat(readAt(source, file, 1_000)).hasValue("sk-BBBB");
  }

  @Test
  void aKeyFileCaughtBetweenTruncationAndWriteKeepsTheLastKey() throws Exception {
    Path file = dir.resolve("apiKey");
    FileCredentialSource source = keyFile(file, "old-key");
    assertThat(source.read(credential(file))).hasValue("old-key");
    rewrite(file, "");
    assertThat(readAt(source, file, 1_000)).as("caught mid-rewrite").hasValue("old-key");
    rewrite(file, "new-key\n");
    assertThat(readAt(source, file, 2_000)).hasValue("new-key");
    rewrite(file, "");
    assertThat(readAt(source, file, 3_000)).hasValue("new-key");
    assertThat(readAt(source, file, 4_000))
        .as("a file left empty gives nothing at the next check")
        .isEmpty();
  }

  @Test
  void secretsAreLookedUpByReference() {
    Map<String, String> store = Map.of("ns/s/apiKey", "sk-mem");
    CredentialSource source =
        new SecretCredentialSource(
            (ns, name, key) -> Optional.ofNullable(store.get(ns + "/" + name + "/" + key)));
    assertThat(source.read(credential(dir.resolve("none")))).hasValue("sk-mem");
    assertThat(CredentialSource.none().orElse(source).read(credential(dir.resolve("none"))))
        .hasValue("sk-mem");
  }

  @Test
  void headersPerSchemeAndNoValueInTheirText() {
    CredentialSource source = file -> Optional.of(" secret-value ");
    CredentialFile file = credential(dir.resolve("k"));
    var bearer =
        (CredentialInjector.Outcome.Headers)
            CredentialInjector.headers(Optional.of(new BackendAuth.ApiKey(file)), source);
    assertThat(bearer.headers().get(0).name()).isEqualTo("authorization");
    assertThat(bearer.headers().get(0).value()).isEqualTo("Bearer secret-value");
    assertThat(bearer.headers().toString()).doesNotContain("secret-value");
    var azure =
        (CredentialInjector.Outcome.Headers)
            CredentialInjector.headers(Optional.of(new BackendAuth.AzureApiKey(file)), source);
    assertThat(azure.headers().get(0).name()).isEqualTo("api-key");
    var anthropic =
        (CredentialInjector.Outcome.Headers)
            CredentialInjector.headers(Optional.of(new BackendAuth.AnthropicApiKey(file)), source);
    assertThat(anthropic.headers().get(0).name()).isEqualTo("x-api-key");
    assertThat(
            CredentialInjector.headers(
                Optional.of(new BackendAuth.Aws("us-east-1", null, null)), source))
        .isInstanceOf(CredentialInjector.Outcome.Unavailable.class);
    assertThat(CredentialInjector.headers(Optional.empty(), source))
        .isEqualTo(new CredentialInjector.Outcome.Headers(java.util.List.of()));
  }

  @Test
  void aKeyWithALineBreakInsideIsUnavailableNamingTheFileAndNeverTheValue() {
    CredentialFile file = credential(dir.resolve("k"));
    for (String key : new String[] {"sk-one\nx-injected: yes", "sk-one\r\nsk-two", "sk\u0000one"}) {
      var outcome =
          CredentialInjector.headers(
              Optional.of(new BackendAuth.ApiKey(file)), credential -> Optional.of(key + "\n"));
      assertThat(outcome).isInstanceOf(CredentialInjector.Outcome.Unavailable.class);
      String reason = ((CredentialInjector.Outcome.Unavailable) outcome).reason();
      assertThat(reason).contains(file.path()).contains("line break").doesNotContain("sk-one");
    }
    // a trailing line break is the file's, not the key's; a tab is a header's to carry
    assertThat(
            CredentialInjector.headers(
                Optional.of(new BackendAuth.ApiKey(file)),
                credential -> Optional.of("sk\tone\r\n")))
        .isInstanceOf(CredentialInjector.Outcome.Headers.class);
  }
}
