package io.aigw.admin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokensTest {

  @Test
  void readsRolesAndTokensSkippingCommentsAndBlankLines() {
    AdminTokens tokens =
        AdminTokens.parse(
            "# operators\nadmin: 0123456789abcdef-admin\n\nread-only:0123456789abcdef-read\n",
            "tokens");
    assertThat(tokens.roleOf("0123456789abcdef-admin")).hasValue(Role.ADMIN);
    assertThat(tokens.roleOf("0123456789abcdef-read")).hasValue(Role.READ_ONLY);
    assertThat(tokens.roleOf("0123456789abcdef")).isEmpty();
    assertThat(tokens.announcement()).isEmpty();
    assertThat(tokens.toString()).doesNotContain("0123456789abcdef");
  }

  @Test
  void readsTheFormatApiMdShowsWithACommentAfterEachToken() {
    AdminTokens tokens =
        AdminTokens.parse(
            "admin:     0123456789abcdef-admin     # replay and restore too\n"
                + "read-only: 0123456789abcdef#read\t# everything else\n",
            "tokens");
    assertThat(tokens.roleOf("0123456789abcdef-admin")).hasValue(Role.ADMIN);
    assertThat(tokens.roleOf("0123456789abcdef#read")).hasValue(Role.READ_ONLY);
  }

  @Test
  void aTokenGivenTwoRolesIsRefused() {
    assertThatThrownBy(
            () ->
                AdminTokens.parse(
                    "admin:0123456789abcdef-both\nread-only:0123456789abcdef-both\n", "f"))
        .hasMessage("f line 2: this token is also given to admin above; give it one role");
  }

  @Test
  void namesTheLineButNeverTheTokenOnError() {
    assertThatThrownBy(() -> AdminTokens.parse("writer:0123456789abcdef-secret", "f"))
        .hasMessage("f line 1: the role must be admin or read-only");
    assertThatThrownBy(() -> AdminTokens.parse("admin:short-secret", "f"))
        .hasMessageContaining("line 1")
        .hasMessageNotContaining("short-secret");
    assertThatThrownBy(() -> AdminTokens.parse("0123456789abcdef-secret", "f"))
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> AdminTokens.parse("# nothing\n", "f")).hasMessage("f has no token");
  }

  @Test
  void generatesOneTokenPerRoleToShowOnce() {
    AdminTokens tokens = AdminTokens.generate(new SecureRandom());
    var generated = tokens.generated().orElseThrow();
    assertThat(tokens.roleOf(generated.get(Role.ADMIN))).hasValue(Role.ADMIN);
    assertThat(tokens.roleOf(generated.get(Role.READ_ONLY))).hasValue(Role.READ_ONLY);
    assertThat(tokens.announcement().orElseThrow()).contains(generated.get(Role.ADMIN));
    assertThat(generated.get(Role.ADMIN)).isNotEqualTo(generated.get(Role.READ_ONLY));
  }

  @Test
  void aTokenFileIsWrittenOnceForItsOwnerOnlyAndReadAtEveryStart(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("admin-tokens");
    AdminTokens first = AdminTokens.loadOrCreate(file, new SecureRandom());
    assertThat(first.announcement()).as("nothing to print: the file holds them").isEmpty();
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    String text = Files.readString(file);
    String admin = text.lines().filter(l -> l.startsWith("admin:")).findFirst().orElseThrow();
    String token = admin.substring("admin:".length());
    assertThat(first.roleOf(token)).contains(Role.ADMIN);
    // a restart keeps them
    AdminTokens again = AdminTokens.loadOrCreate(file, new SecureRandom());
    assertThat(again.roleOf(token)).contains(Role.ADMIN);
    assertThat(Files.readString(file)).isEqualTo(text);
  }
}
