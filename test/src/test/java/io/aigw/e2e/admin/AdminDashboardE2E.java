package io.aigw.e2e.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.WatchEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser against {@code aigw run}: sign in, the timeline and its filter, a
 * live entry and its side-by-side diff, time travel, comparing two points, replay and restore. One
 * gateway and one browser for the class; the tests build on each other in order (the edit of one is
 * the diff of the next), and each leaves a screenshot in {@code test/target/screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminDashboardE2E {

  private Path dir;
  private Path data;
  private AdminGatewayHarness gateway;
  private DashboardBrowser browser;
  private long routeCreatedSeq;
  private long routeEditedSeq;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("aigw-admin-e2e-dir");
    data = Files.createTempDirectory("aigw-admin-e2e-data");
    gateway = new AdminGatewayHarness(dir, data, "sk-dashboard-test-value").start();
    browser = new DashboardBrowser();
    routeCreatedSeq = lastSeqOf("AIGatewayRoute", "openai");
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @AfterEach
  void screenshot(TestInfo test) {
    browser.screenshot("admin-" + test.getTestMethod().orElseThrow().getName());
  }

  private long lastSeqOf(String kind, String name) {
    long seq = 0;
    for (LogEntry entry : gateway.gateway.log().read(1, Integer.MAX_VALUE)) {
      if (entry.event() instanceof WatchEvent event
          && event.kind().equals(kind)
          && event.name().equals(name)) {
        seq = entry.seq();
      }
    }
    return seq;
  }

  private WebElement visible(String css) {
    return browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  private void open(String hash) {
    browser.driver.get(gateway.baseUrl() + "/" + hash);
    signInIfAsked();
  }

  private void signInIfAsked() {
    browser.wait.until(
        d ->
            !d.findElements(By.id("token")).isEmpty()
                || !d.findElements(By.id("nav")).isEmpty()
                    && d.findElement(By.id("nav")).isDisplayed());
    if (!browser.driver.findElements(By.id("token")).isEmpty()) {
      WebElement token = browser.driver.findElement(By.id("token"));
      token.clear();
      token.sendKeys(AdminGatewayHarness.ADMIN);
      browser.driver.findElement(By.id("signin")).click();
      visible("#nav");
    }
  }

  private List<String> lines(String css) {
    return browser.driver.findElements(By.cssSelector(css)).stream()
        .map(WebElement::getText)
        .toList();
  }

  private List<String> timelineObjects() {
    return browser.driver.findElements(By.cssSelector("#timeline-rows td.obj")).stream()
        .map(WebElement::getText)
        .toList();
  }

  @Test
  @Order(1)
  void signsInWithATokenAndShowsTheTimeline() {
    browser.driver.get(gateway.baseUrl() + "/");
    WebElement token = visible("#token");
    token.sendKeys("not-the-token-at-all-123");
    browser.driver.findElement(By.id("signin")).click();
    assertThat(visible("#login-error .error-box").getText()).contains("not valid");
    token.clear();
    // keyboard only: the token field submits with Enter, and focus moves to the content
    token.sendKeys(AdminGatewayHarness.ADMIN, Keys.ENTER);
    visible("#timeline-rows tr");
    assertThat(browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("main");
    assertThat(visible("#role").getText()).isEqualTo("admin");
    assertThat(timelineObjects()).anyMatch(text -> text.equals("AIGatewayRoute default/openai"));
    browser.wait.until(ExpectedConditions.textToBe(By.id("live"), "● live"));
  }

  @Test
  @Order(2)
  void filtersTheTimelineByKind() {
    open("#/timeline");
    WebElement kind = visible("#f-kind");
    kind.sendKeys("AIServiceBackend");
    browser.driver.findElement(By.id("apply-filters")).click();
    browser.wait.until(d -> d.getCurrentUrl().contains("kind=AIServiceBackend"));
    // the table re-renders on hashchange, after the URL changed: a row read then may be detached
    List<String> filtered =
        new WebDriverWait(browser.driver, Duration.ofSeconds(20))
            .ignoring(StaleElementReferenceException.class)
            .until(
                d -> {
                  List<String> rows = timelineObjects();
                  return !rows.isEmpty()
                          && rows.stream().allMatch(t -> t.startsWith("AIServiceBackend "))
                      ? rows
                      : null;
                });
    assertThat(filtered).contains("AIServiceBackend default/openai");
  }

  @Test
  @Order(3)
  void showsALiveEditAndItsSideBySideDiff() throws Exception {
    open("#/timeline?kind=AIGatewayRoute");
    visible("#timeline-rows tr");
    Path file = dir.resolve("openai.yaml");
    Files.writeString(
        file, Files.readString(file).replace("value: gpt-4o-mini", "value: gpt-4.1-mini"));
    Awaitility.await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> lastSeqOf("AIGatewayRoute", "openai") > routeCreatedSeq);
    routeEditedSeq = lastSeqOf("AIGatewayRoute", "openai");
    WebElement link =
        browser.wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("#timeline-rows tr[data-seq='" + routeEditedSeq + "'] td.seq a")));
    link.click();
    WebElement fields = visible("#field-changes");
    assertThat(fields.getText()).contains("spec.rules[0].matches[0].headers[0].value");
    assertThat(fields.getText()).contains("\"gpt-4o-mini\"").contains("\"gpt-4.1-mini\"");
    visible(".diff .line.del");
    List<String> removed = lines(".diff .line.del");
    List<String> added = lines(".diff .line.add");
    assertThat(removed).anyMatch(line -> line.contains("value: gpt-4o-mini"));
    assertThat(added).anyMatch(line -> line.contains("value: gpt-4.1-mini"));
    assertThat(visible("#effect").getText()).contains("changed generated resources");
  }

  @Test
  @Order(4)
  void timeTravelsToBeforeTheEdit() {
    open("#/state?at=" + routeCreatedSeq);
    WebElement resources = visible("#resources");
    WebElement configMap =
        resources.findElements(By.cssSelector("details.res")).stream()
            .filter(d -> d.getText().contains("ConfigMap default/ai-eg-route-extproc-openai"))
            .findFirst()
            .orElseThrow();
    configMap.findElement(By.tagName("summary")).click();
    assertThat(configMap.findElement(By.cssSelector("pre.yaml")).getText())
        .contains("gpt-4o-mini")
        .doesNotContain("gpt-4.1-mini");
    assertThat(visible("#statuses").getText()).contains("Accepted");
    assertThat(visible("#at").getAttribute("value")).isEqualTo(Long.toString(routeCreatedSeq));
  }

  @Test
  @Order(4)
  void aTimeTravelPageOpenedWithoutASeqShowsTheLatestState() {
    // a fresh page, as from a bookmark: nothing has told the dashboard the latest seq yet
    browser.driver.get("about:blank");
    open("#/state");
    assertThat(visible("#statuses").getText()).contains("Accepted");
    long shown = Long.parseLong(visible("#at").getAttribute("value"));
    assertThat(shown).isGreaterThanOrEqualTo(routeEditedSeq);
    assertThat(visible("#state-body").getText()).contains("after seq " + shown + " ");
    browser.driver.get("about:blank");
    open("#/compare");
    assertThat(Long.parseLong(visible("#cmp-to").getAttribute("value")))
        .isGreaterThanOrEqualTo(routeEditedSeq);
  }

  @Test
  @Order(5)
  void comparesTwoPoints() {
    open("#/compare");
    visible("#cmp-from").sendKeys(Long.toString(routeEditedSeq - 1));
    WebElement to = visible("#cmp-to");
    to.clear();
    to.sendKeys(Long.toString(routeEditedSeq));
    browser.driver.findElement(By.id("compare-go")).click();
    WebElement change = visible("details.res.change");
    assertThat(visible("#compare-body .counts").getText()).contains("Changed");
    change.findElement(By.tagName("summary")).click();
    assertThat(change.getText()).contains("provenance");
    assertThat(change.findElements(By.cssSelector(".diff .line.add"))).isNotEmpty();
  }

  @Test
  @Order(6)
  void replaysFromZeroAndFindsTheLiveState() {
    open("#/replay");
    visible("#replay-go").click();
    browser.wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("replay-result"), "Equal to the live state"));
    assertThat(visible("#replay-result").getText()).contains("entries/s");
    assertThat(visible("#main").getText()).doesNotContain("null").doesNotContain("undefined");
  }

  @Test
  @Order(7)
  void restoresTheVersionBeforeTheEdit() throws Exception {
    open("#/entry/" + routeCreatedSeq);
    visible(".restore").click();
    browser.wait.until(ExpectedConditions.alertIsPresent()).accept();
    assertThat(visible("#restore-result").getText()).contains("openai.yaml");
    Awaitility.await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> lastSeqOf("AIGatewayRoute", "openai") > routeEditedSeq);
    assertThat(Files.readString(dir.resolve("openai.yaml")))
        .contains("gpt-4o-mini")
        .doesNotContain("gpt-4.1-mini");
    open("#/timeline?kind=AIGatewayRoute");
    long restoredSeq = lastSeqOf("AIGatewayRoute", "openai");
    visible("#timeline-rows tr[data-seq='" + restoredSeq + "']");
  }

  @Test
  @Order(8)
  void anEntryThatArrivesWhileTheTimelineLoadsIsListedOnce() throws Exception {
    open("#/replay");
    visible("#replay-go");
    // the server answers the timeline's first page three seconds late, as a busy one would
    ((JavascriptExecutor) browser.driver)
        .executeScript(
            "const real = window.fetch;"
                + "window.fetch = (url, init) => String(url).startsWith('/api/log?')"
                + " ? new Promise(done => setTimeout(done, 3000)).then(() => real(url, init))"
                + " : real(url, init);"
                + "location.hash = '#/timeline';");
    long before = gateway.gateway.log().latestSeq();
    Files.writeString(
        dir.resolve("late.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata: {name: late, namespace: default}\n"
            + "stringData: {key: value}\n");
    Awaitility.await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> lastSeqOf("Secret", "late") > before);
    long late = lastSeqOf("Secret", "late");
    visible("#timeline-rows tr[data-seq='" + late + "']");
    // the page has loaded once the entry before the late one is listed too
    visible("#timeline-rows tr[data-seq='" + (late - 1) + "']");
    assertThat(
            browser.driver.findElements(
                By.cssSelector("#timeline-rows tr[data-seq='" + late + "']")))
        .hasSize(1);
  }

  @Test
  @Order(9)
  void aStreamThatReconnectsShowsWhatCameWhileItWasDown() throws Exception {
    open("#/timeline");
    visible("#timeline-rows tr");
    // the live stream is cut and cannot come back, as when the admin port is briefly unreachable
    ((JavascriptExecutor) browser.driver)
        .executeScript(
            "window.streamDown = true;"
                + "const real = window.fetch;"
                + "window.fetch = (url, init) => String(url).startsWith('/api/stream')"
                + " && window.streamDown ? Promise.reject(new TypeError('offline'))"
                + " : real(url, init);"
                + "startStream();");
    long before = gateway.gateway.log().latestSeq();
    Files.writeString(
        dir.resolve("while-down.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata: {name: while-down, namespace: default}\n"
            + "stringData: {key: value}\n");
    Awaitility.await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> lastSeqOf("Secret", "while-down") > before);
    long missed = lastSeqOf("Secret", "while-down");
    assertThat(
            browser.driver.findElements(
                By.cssSelector("#timeline-rows tr[data-seq='" + missed + "']")))
        .as("nothing can arrive while the stream is down")
        .isEmpty();
    ((JavascriptExecutor) browser.driver).executeScript("window.streamDown = false;");
    // the next attempt resumes after the latest seq the page knew of, not at the server's latest
    visible("#timeline-rows tr[data-seq='" + missed + "']");
  }

  @Test
  @Order(10)
  void aHiddenTabLetsGoOfItsStreamAndCatchesUpWhenShown() throws Exception {
    open("#/timeline");
    visible("#timeline-rows tr");
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> streamClients() == 1);
    ((JavascriptExecutor) browser.driver).executeScript(visibility(true));
    // a hidden tab holds none of the browser's six connections to the host
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> streamClients() == 0);
    long before = gateway.gateway.log().latestSeq();
    Files.writeString(
        dir.resolve("while-hidden.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata: {name: while-hidden, namespace: default}\n"
            + "stringData: {key: value}\n");
    Awaitility.await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> lastSeqOf("Secret", "while-hidden") > before);
    long missed = lastSeqOf("Secret", "while-hidden");
    ((JavascriptExecutor) browser.driver).executeScript(visibility(false));
    visible("#timeline-rows tr[data-seq='" + missed + "']");
    assertThat(streamClients()).isEqualTo(1);
  }

  @Test
  @Order(11)
  void timeTravelShowsOnlyWhatIsNotAcceptedWhenAsked() throws Exception {
    long before = gateway.gateway.log().latestSeq();
    Files.writeString(
        dir.resolve("broken-route.yaml"),
        "apiVersion: aigateway.envoyproxy.io/v1beta1\nkind: AIGatewayRoute\n"
            + "metadata: {name: lonely, namespace: default}\n"
            + "spec:\n  parentRefs: [{name: envoy-ai-gateway-basic, kind: Gateway, group: gateway.networking.k8s.io}]\n"
            + "  rules:\n  - matches: [{headers: [{type: Exact, name: x-ai-eg-model, value: lonely}]}]\n"
            + "    backendRefs: [{name: no-such-backend}]\n");
    Awaitility.await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> lastSeqOf("AIGatewayRoute", "lonely") > before);
    open("#/timeline");
    open("#/state");
    String all = visible("#statuses-shown").getText();
    assertThat(all).matches("Showing (\\d+) of \\1 statuses\\.");
    visible("#state-rejected").click();
    browser.wait.until(d -> d.getCurrentUrl().contains("rejected=1"));
    browser.wait.until(
        d ->
            !d.findElements(By.cssSelector("#statuses-shown")).isEmpty()
                && !d.findElement(By.cssSelector("#statuses-shown")).getText().equals(all));
    List<String> rows = lines("#statuses tbody tr");
    assertThat(rows).allSatisfy(row -> assertThat(row).contains("NotAccepted"));
    assertThat(rows).anySatisfy(row -> assertThat(row).contains("lonely"));
  }

  @Test
  @Order(12)
  void theTimelineJumpsToWhatWasRecordedByATime() {
    open("#/timeline");
    visible("#timeline-rows tr");
    // as a person picks a time in the field (a datetime-local input reads the browser's zone)
    ((JavascriptExecutor) browser.driver)
        .executeScript("document.getElementById('f-before').value = '2000-06-01T12:00';");
    visible("#apply-filters").click();
    browser.wait.until(d -> d.getCurrentUrl().contains("before=2000-06-01T"));
    browser.wait.until(
        ExpectedConditions.textToBe(
            By.cssSelector("#timeline-status"), "No entries match these filters."));
    assertThat(visible("#f-before").getAttribute("value")).isEqualTo("2000-06-01T12:00");
    open("#/timeline?before=" + java.time.Instant.now().plusSeconds(60));
    visible("#timeline-rows tr");
    assertThat(visible("#timeline-rows td.time").getText())
        .as("a time with its zone")
        .matches(".*\\d:\\d\\d:\\d\\d.*[A-Z]{2,}.*|.*GMT.*|.*UTC.*");
  }

  /** Script that makes the page hidden or visible, as switching tabs does. */
  private static String visibility(boolean hidden) {
    return "Object.defineProperty(document, 'hidden', {value: "
        + hidden
        + ", configurable: true});"
        + "document.dispatchEvent(new Event('visibilitychange'));";
  }

  /** {@code aigw_admin_stream_clients}, as the admin port's metrics say. */
  private long streamClients() throws Exception {
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return metrics
        .lines()
        .filter(line -> line.startsWith("aigw_admin_stream_clients "))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }
}
