package io.aigw.e2e.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.WatchEvent;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A Secret with a known value goes through {@code aigw run} with the admin server; the value, in
 * plain text or base64, must appear in no API response, no dashboard page, no file of the data
 * directory and no line the process printed.
 */
class PlantedSecretE2E {

  private static final String VALUE = "sk-planted-7c1e5a9b3d-do-not-leak";
  private static final List<String> FORBIDDEN =
      List.of(
          VALUE,
          Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8)),
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(VALUE.getBytes(StandardCharsets.UTF_8)));

  @TempDir Path dir;
  @TempDir Path data;

  @Test
  void theSecretValueAppearsNowhereTheAdminServerOrTheProcessWrites() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = System.out;
    PrintStream err = System.err;
    System.setOut(new PrintStream(new Tee(out, printed), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(err, printed), true, StandardCharsets.UTF_8));
    List<String> checked = new ArrayList<>();
    try (AdminGatewayHarness gateway = new AdminGatewayHarness(dir, data, VALUE).start()) {
      long secretSeq = secretSeq(gateway);
      assertThat(secretSeq).as("the Secret was recorded").isPositive();
      // an edit of the Secret, so history and diffs have two versions to show
      Path file = dir.resolve("openai.yaml");
      Files.writeString(file, Files.readString(file).replace(VALUE, VALUE + "-rotated"));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> secretSeq(gateway) > secretSeq);
      gateway.awaitIndexed();
      long rotatedSeq = secretSeq(gateway);
      checked.addAll(apiResponses(gateway, secretSeq, rotatedSeq));
      checked.addAll(pages(gateway, rotatedSeq));
      checked.addAll(dataFiles());
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String lines = printed.toString(StandardCharsets.UTF_8);
    assertThat(lines).as("the process printed its log lines").contains("admin API and dashboard");
    checked.add("stdout+stderr (" + lines.length() + " chars)");
    assertClean("stdout/stderr", lines);
    assertThat(checked).hasSizeGreaterThan(20);
  }

  private static long secretSeq(AdminGatewayHarness gateway) {
    long seq = 0;
    for (LogEntry entry : gateway.gateway.log().read(1, Integer.MAX_VALUE)) {
      if (entry.event() instanceof WatchEvent event && event.kind().equals("Secret")) {
        seq = entry.seq();
      }
    }
    return seq;
  }

  /**
   * The log records a Secret as the SHA-256 of each value; shown as such, it would let any token
   * confirm a guessed value. The API shows it keyed.
   */
  private static void assertNoConfirmableDigest(String where, String text) throws Exception {
    for (String value : List.of(VALUE, VALUE + "-rotated")) {
      String hex =
          java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(value.getBytes(StandardCharsets.UTF_8)));
      assertThat(text).as(where + " must not show the value's plain digest").doesNotContain(hex);
    }
  }

  private static void assertClean(String where, String text) {
    for (String forbidden : FORBIDDEN) {
      assertThat(text).as(where + " must not contain the secret value").doesNotContain(forbidden);
    }
  }

  private List<String> apiResponses(AdminGatewayHarness gateway, long secretSeq, long rotatedSeq)
      throws Exception {
    long latest = gateway.gateway.log().latestSeq();
    List<String> paths =
        new ArrayList<>(
            List.of(
                "/api/log?limit=1000",
                "/api/log?kind=Secret",
                "/api/log/" + secretSeq,
                "/api/log/" + rotatedSeq,
                "/api/state",
                "/api/state?section=world&limit=1000",
                "/api/state?section=world&kind=Secret&objects=true",
                "/api/state?section=desired&limit=1000",
                "/api/state?section=filterConfigs&limit=1000",
                "/api/state?at=" + secretSeq + "&section=world&limit=1000",
                "/api/diff?from=0&to=" + latest + "&objects=true&limit=1000",
                "/api/diff?from=" + secretSeq + "&to=" + rotatedSeq + "&objects=true",
                "/api/objects/Secret/default/openai-apikey/history",
                "/api/provenance?kind=Deployment&namespace=default&name=ai-eg-route-extproc-openai",
                "/api/stream?from=0",
                "/metrics",
                "/readyz"));
    for (long seq = 1; seq <= latest; seq++) {
      paths.add("/api/log/" + seq);
    }
    HttpClient http = HttpClient.newHttpClient();
    List<String> checked = new ArrayList<>();
    for (String path : paths) {
      String body = get(http, gateway, path);
      assertClean(path, body);
      assertNoConfirmableDigest(path, body);
      checked.add(path);
    }
    String replay = post(http, gateway, "/api/replay", "{}");
    assertThat(replay).contains("\"equal\":true");
    assertClean("/api/replay", replay);
    String restore =
        post(
            http,
            gateway,
            "/api/restore",
            "{\"kind\":\"Secret\",\"namespace\":\"default\",\"name\":\"openai-apikey\",\"seq\":"
                + secretSeq
                + "}");
    assertThat(restore).contains("cannot be restored");
    assertClean("/api/restore", restore);
    checked.add("/api/replay");
    checked.add("/api/restore");
    return checked;
  }

  private static String get(HttpClient http, AdminGatewayHarness gateway, String path)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("Authorization", "Bearer " + AdminGatewayHarness.ADMIN)
            .timeout(Duration.ofSeconds(30));
    if (path.startsWith("/api/stream")) {
      // the stream never ends: read what the catch-up sends, up to the latest entry
      HttpResponse<Stream<String>> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      String latestId = "id: " + gateway.gateway.log().latestSeq();
      StringBuilder text = new StringBuilder();
      try (Stream<String> lines = response.body()) {
        var iterator = lines.iterator();
        while (iterator.hasNext()) {
          String line = iterator.next();
          text.append(line).append('\n');
          if (line.equals(latestId)) {
            break;
          }
        }
      }
      return text.toString();
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return response.body();
  }

  private static String post(HttpClient http, AdminGatewayHarness gateway, String path, String json)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("Authorization", "Bearer " + AdminGatewayHarness.ADMIN)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private List<String> pages(AdminGatewayHarness gateway, long secretSeq) throws Exception {
    List<String> checked = new ArrayList<>();
    try (DashboardBrowser browser = new DashboardBrowser()) {
      browser.driver.get(gateway.baseUrl() + "/");
      browser
          .wait
          .until(ExpectedConditions.visibilityOfElementLocated(By.id("token")))
          .sendKeys(AdminGatewayHarness.READER);
      browser.driver.findElement(By.id("signin")).click();
      browser.wait.until(
          ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#timeline-rows tr")));
      checked.add(page(browser, "timeline"));
      browser.driver.get(gateway.baseUrl() + "/#/entry/" + secretSeq);
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("field-changes")));
      checked.add(page(browser, "secret-entry"));
      browser.driver.get(gateway.baseUrl() + "/#/object/Secret/default/openai-apikey");
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("history")));
      checked.add(page(browser, "secret-history"));
      browser.driver.get(gateway.baseUrl() + "/#/state");
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("resources")));
      for (var details : browser.driver.findElements(By.cssSelector("details.res summary"))) {
        details.click();
      }
      checked.add(page(browser, "state"));
      browser.driver.get(gateway.baseUrl() + "/#/compare?from=0&to=" + secretSeq);
      browser.wait.until(
          ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#compare-body .counts")));
      checked.add(page(browser, "compare"));
    }
    return checked;
  }

  private static String page(DashboardBrowser browser, String name) throws Exception {
    browser.screenshot("planted-secret-" + name);
    String source = browser.driver.getPageSource();
    String text = browser.driver.findElement(By.tagName("body")).getText();
    assertClean("page " + name, source);
    assertClean("page " + name, text);
    assertNoConfirmableDigest("page " + name, source);
    return "page " + name;
  }

  private List<String> dataFiles() throws Exception {
    List<String> checked = new ArrayList<>();
    try (Stream<Path> files = Files.walk(data)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertClean("data file " + file, content);
        checked.add(file.toString());
      }
    }
    assertThat(checked).as("the log segments were checked").isNotEmpty();
    return checked;
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      first.write(b);
      synchronized (second) {
        second.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      first.write(b, off, len);
      synchronized (second) {
        second.write(b, off, len);
      }
    }
  }
}
