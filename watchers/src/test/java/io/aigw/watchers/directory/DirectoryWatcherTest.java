package io.aigw.watchers.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryWatcherTest {

  static final String ROUTE =
      """
      apiVersion: aigateway.envoyproxy.io/v1beta1
      kind: AIGatewayRoute
      metadata:
        name: chat
      spec:
        parentRefs:
          - name: gw
        rules:
          - backendRefs:
              - name: openai
      """;

  static final String GATEWAY_AND_CLASS =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata:
        name: eg
        namespace: ignored
      spec:
        controllerName: gateway.envoyproxy.io/gatewayclass-controller
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
        namespace: edge
      spec:
        gatewayClassName: eg
      """;

  @TempDir Path dir;
  final WatchDriver watch = new WatchDriver();

  @AfterEach
  void stop() {
    watch.stop();
  }

  @Test
  void firstScanReadsEveryDocumentOfAMultiDocumentFile() throws IOException {
    write("all.yaml", ROUTE + "---\n" + GATEWAY_AND_CLASS);

    List<LogEvent> events = watch.start(dir);

    assertThat(watch.scans.values())
        .singleElement()
        .satisfies(s -> assertThat(s.initial()).isTrue());
    assertThat(upserts(events))
        .extracting(WatchEvent::key)
        .containsExactly(
            new ObjectKey("aigateway.envoyproxy.io", "AIGatewayRoute", "default", "chat"),
            new ObjectKey("gateway.networking.k8s.io", "GatewayClass", "", "eg"),
            new ObjectKey("gateway.networking.k8s.io", "Gateway", "edge", "gw"));
    WatchEvent route = upserts(events).get(0);
    String expectedUid =
        UUID.nameUUIDFromBytes(
                "aigw:aigateway.envoyproxy.io/AIGatewayRoute/default/chat"
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    assertThat(route.uid()).isEqualTo(expectedUid);
    assertThat(route.generation()).isEqualTo(1);
    assertThat(route.source()).isEqualTo("dir:" + dir.toAbsolutePath().normalize());
    JsonNode object = CanonicalJson.read(route.objectJson());
    assertThat(object.at("/metadata/namespace").asText()).isEqualTo("default");
    assertThat(object.at("/metadata/uid").asText()).isEqualTo(expectedUid);
    assertThat(object.at("/metadata/generation").asLong()).isEqualTo(1);
    assertThat(object.at("/metadata/resourceVersion").asText()).isEqualTo(route.resourceVersion());
    assertThat(route.objectJson()).isEqualTo(CanonicalJson.write(object));
    JsonNode gatewayClass = CanonicalJson.read(upserts(events).get(1).objectJson());
    assertThat(gatewayClass.at("/metadata").has("namespace")).isFalse();
    assertThat(upserts(events))
        .extracting(e -> Long.parseLong(e.resourceVersion()))
        .containsExactly(1L, 2L, 3L);
  }

  @Test
  void anEmptyDirectoryStillDeliversTheFirstScan() {
    assertThat(watch.start(dir)).isEmpty();
    assertThat(watch.scans.values())
        .singleElement()
        .satisfies(s -> assertThat(s.initial()).isTrue());
    assertThat(watch.poll()).isEmpty();
    assertThat(watch.scans.values()).hasSize(1);
  }

  @Test
  void addingAFileEmitsItsObjects() throws IOException {
    write("route.yaml", ROUTE);
    watch.start(dir);

    write("gateways/edge.yml", GATEWAY_AND_CLASS);

    assertThat(upserts(watch.poll()))
        .extracting(WatchEvent::kind)
        .containsExactly("GatewayClass", "Gateway");
  }

  @Test
  void changingAFieldEmitsOneUpsertWithTheNextGeneration() throws IOException {
    write("route.yaml", ROUTE);
    WatchEvent before = upserts(watch.start(dir)).get(0);

    write("route.yaml", ROUTE.replace("name: openai", "name: azure"));

    List<LogEvent> events = watch.poll();
    assertThat(events).singleElement().isInstanceOf(WatchEvent.class);
    WatchEvent after = (WatchEvent) events.get(0);
    assertThat(after.type()).isEqualTo(EventType.UPSERT);
    assertThat(after.generation()).isEqualTo(before.generation() + 1);
    assertThat(Long.parseLong(after.resourceVersion()))
        .isGreaterThan(Long.parseLong(before.resourceVersion()));
    assertThat(after.uid()).isEqualTo(before.uid());
    assertThat(after.objectJson()).contains("\"azure\"");
  }

  @Test
  void changingOnlyMetadataKeepsTheGeneration() throws IOException {
    write("route.yaml", ROUTE);
    watch.start(dir);

    write("route.yaml", ROUTE.replace("  name: chat\n", "  name: chat\n  labels:\n    team: a\n"));

    List<WatchEvent> events = upserts(watch.poll());
    assertThat(events).singleElement().satisfies(e -> assertThat(e.generation()).isEqualTo(1));
  }

  @Test
  void reformattingOrReorderingKeysEmitsNothing() throws IOException {
    write("route.yaml", ROUTE);
    watch.start(dir);

    write(
        "route.yaml",
        """
        # the same route, written differently
        kind: AIGatewayRoute
        spec:
          rules: [{backendRefs: [{name: openai}]}]
          parentRefs: [{name: "gw"}]
        metadata: {name: chat, namespace: default}
        apiVersion: "aigateway.envoyproxy.io/v1beta1"
        """);

    assertThat(watch.poll()).isEmpty();
    assertThat(watch.poll()).isEmpty();
  }

  @Test
  void brokenYamlGivesOneSourceErrorAndKeepsTheObjectsThenTheFixIsEmitted() throws IOException {
    write("route.yaml", ROUTE);
    write("gateway.yaml", GATEWAY_AND_CLASS);
    watch.start(dir);

    write("route.yaml", ROUTE.replace("  parentRefs:", "  parentRefs:\n - broken: [indent"));

    List<LogEvent> broken = watch.poll();
    assertThat(broken).singleElement().isInstanceOf(SourceError.class);
    SourceError error = (SourceError) broken.get(0);
    assertThat(error.file()).isEqualTo("route.yaml");
    assertThat(error.line()).isGreaterThan(0);
    assertThat(error.reason()).isNotBlank();
    assertThat(watch.poll()).isEmpty();

    write("route.yaml", ROUTE.replace("name: openai", "name: bedrock"));

    List<LogEvent> fixed = watch.poll();
    assertThat(upserts(fixed))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.name()).isEqualTo("chat");
              assertThat(e.generation()).isEqualTo(2);
            });
    assertThat(fixed).hasSize(1);
  }

  @Test
  void aDocumentThatIsNotAnObjectIsASourceErrorAndKeepsTheFile() throws IOException {
    write("route.yaml", ROUTE);
    watch.start(dir);

    write("route.yaml", ROUTE + "---\n- just\n- a list\n");
    assertThat(watch.poll())
        .singleElement()
        .isInstanceOfSatisfying(
            SourceError.class,
            e -> {
              assertThat(e.line()).isEqualTo(12);
              assertThat(e.reason()).contains("not a mapping");
            });

    write("route.yaml", ROUTE + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n");
    assertThat(watch.poll())
        .singleElement()
        .isInstanceOfSatisfying(
            SourceError.class, e -> assertThat(e.reason()).contains("metadata.name is missing"));

    write("route.yaml", ROUTE + "---\napiVersion: v1\nmetadata: {name: x}\n");
    assertThat(watch.poll())
        .singleElement()
        .isInstanceOfSatisfying(
            SourceError.class, e -> assertThat(e.reason()).contains("kind is missing"));
  }

  @Test
  void deletingAFileDeletesItsObjectsWithTheirLastVersion() throws IOException {
    write("route.yaml", ROUTE);
    write("gateway.yaml", GATEWAY_AND_CLASS);
    List<WatchEvent> first = upserts(watch.start(dir));

    Files.delete(dir.resolve("gateway.yaml"));

    List<LogEvent> events = watch.poll();
    assertThat(events).hasSize(2).allMatch(e -> ((WatchEvent) e).type() == EventType.DELETE);
    WatchEvent deletedGateway =
        events.stream()
            .map(WatchEvent.class::cast)
            .filter(e -> e.kind().equals("Gateway"))
            .findFirst()
            .orElseThrow();
    WatchEvent lastGateway =
        first.stream().filter(e -> e.kind().equals("Gateway")).findFirst().orElseThrow();
    assertThat(deletedGateway.uid()).isEqualTo(lastGateway.uid());
    assertThat(CanonicalJson.read(deletedGateway.objectJson()).get("spec"))
        .isEqualTo(CanonicalJson.read(lastGateway.objectJson()).get("spec"));
    assertThat(Long.parseLong(deletedGateway.resourceVersion()))
        .isGreaterThan(Long.parseLong(lastGateway.resourceVersion()));
  }

  @Test
  void aFileIsTakenOnlyOnceTwoPollsHaveSeenTheSameContent() throws IOException {
    watch.start(dir);

    write("route.yaml", ROUTE.substring(0, 60));
    assertThat(watch.pollOnce()).isEmpty();
    write("route.yaml", ROUTE.substring(0, 120));
    assertThat(watch.pollOnce()).isEmpty();
    write("route.yaml", ROUTE);
    assertThat(watch.pollOnce()).isEmpty();

    assertThat(upserts(watch.pollOnce())).hasSize(1);
    assertThat(watch.pollOnce()).isEmpty();
  }

  @Test
  void anObjectDeclaredTwiceTakesTheLastFileAndNamesTheIgnoredOne() throws IOException {
    write("a.yaml", ROUTE);
    write("b.yaml", ROUTE.replace("name: openai", "name: azure"));

    List<LogEvent> events = watch.start(dir);

    assertThat(events).hasSize(2);
    assertThat(events.get(0))
        .isInstanceOfSatisfying(
            SourceError.class,
            e -> {
              assertThat(e.file()).isEqualTo("a.yaml");
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.reason()).contains("AIGatewayRoute default/chat").contains("b.yaml");
            });
    assertThat(upserts(events))
        .singleElement()
        .satisfies(e -> assertThat(e.objectJson()).contains("azure"));

    Files.delete(dir.resolve("b.yaml"));
    assertThat(upserts(watch.poll()))
        .singleElement()
        .satisfies(e -> assertThat(e.objectJson()).contains("openai"));
  }

  @Test
  void aListContributesItsItems() throws IOException {
    write(
        "list.yaml",
        """
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: one}
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: two, namespace: other}
        """);

    assertThat(upserts(watch.start(dir)))
        .extracting(WatchEvent::key)
        .containsExactly(
            new ObjectKey("", "ConfigMap", "default", "one"),
            new ObjectKey("", "ConfigMap", "other", "two"));
  }

  @Test
  void hiddenAndNonYamlFilesAreIgnoredAndDocumentsWithoutKindAreSkipped() throws IOException {
    write(".hidden.yaml", ROUTE);
    write(".git/config.yaml", ROUTE);
    write("notes.txt", ROUTE);
    write("values.yaml", "config:\n  replicas: 2\n");

    assertThat(watch.start(dir)).isEmpty();
    assertThat(watch.scans.values().get(0).files()).isEqualTo(1);
  }

  @Test
  void aLinkToAFileIsReadThroughAndALinkToADirectoryIsNotFollowed() throws IOException {
    write("store/route.yaml", ROUTE);
    write("store/gateway.yaml", GATEWAY_AND_CLASS);
    Files.createDirectories(dir.resolve("conf"));
    Files.createSymbolicLink(dir.resolve("conf/route.yaml"), dir.resolve("store/route.yaml"));
    Files.createSymbolicLink(dir.resolve("conf/linked"), dir.resolve("store"));

    assertThat(upserts(watch.start(dir.resolve("conf"))))
        .extracting(WatchEvent::name)
        .containsExactly("chat");
  }

  @Test
  void serverOwnedFieldsAndStatusFromAFileAreNotTaken() throws IOException {
    write(
        "route.yaml",
        ROUTE.replace("  name: chat\n", "  name: chat\n  uid: abc\n  resourceVersion: \"99\"\n")
            + "status:\n  conditions: []\n");

    WatchEvent route = upserts(watch.start(dir)).get(0);

    JsonNode object = CanonicalJson.read(route.objectJson());
    assertThat(object.has("status")).isFalse();
    assertThat(object.at("/metadata/uid").asText()).isEqualTo(route.uid()).isNotEqualTo("abc");
    assertThat(route.resourceVersion()).isEqualTo("1");
  }

  @Test
  void aSecondSubscriptionIsRefused() {
    watch.start(dir);
    watch.watcher.scans().test().assertError(IllegalStateException.class);
  }

  @Test
  void aMissingDirectoryFailsTheFirstScan() {
    TestScheduler scheduler = new TestScheduler();
    DirectoryWatcher watcher =
        DirectoryWatcher.builder(dir.resolve("nope")).scheduler(scheduler).build();
    TestSubscriber<DirectoryScan> scans = watcher.scans().test();
    scheduler.triggerActions();
    scans.assertError(IOException.class);
  }

  @Test
  void aDirectoryThatDisappearsLaterIsReportedOnceAndDeletesNothing() throws IOException {
    Path sub = dir.resolve("conf");
    Files.createDirectories(sub);
    Files.writeString(sub.resolve("route.yaml"), ROUTE);
    watch.start(sub);

    Files.delete(sub.resolve("route.yaml"));
    Files.delete(sub);

    assertThat(watch.pollOnce())
        .singleElement()
        .isInstanceOfSatisfying(
            SourceError.class, e -> assertThat(e.reason()).contains("cannot list"));
    assertThat(watch.poll()).isEmpty();
  }

  static List<WatchEvent> upserts(List<LogEvent> events) {
    return WatchDriver.upserts(events);
  }

  void write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
