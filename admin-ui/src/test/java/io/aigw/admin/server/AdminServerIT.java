package io.aigw.admin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.admin.api.StreamHandler;
import io.aigw.admin.view.SecretRedaction;
import io.aigw.core.event.ApplyOutcome;
import io.aigw.core.event.Outcome;
import io.aigw.core.event.RotationOutcome;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin API over real HTTP, good and bad input for every endpoint. The log: 1 Secret, 2
 * backend, 3 policy, 4 route chat (gpt-4o), 5 route chat (gpt-4o-mini), 6 a source error, 7 backend
 * changed, 8 route other, 9 route other deleted.
 */
@ExtendWith(VertxExtension.class)
class AdminServerIT {

  private AdminTestbed bed;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) {
    bed = new AdminTestbed(vertx);
    bed.upsert(AdminTestbed.secret("openai-key", "a".repeat(64)));
    bed.upsert(AdminTestbed.backend("openai", "OpenAI"));
    bed.upsert(AdminTestbed.policy("openai-apikey", "openai", "openai-key"));
    bed.upsert(AdminTestbed.route("chat", "openai", "gpt-4o"));
    bed.upsert(AdminTestbed.route("chat", "openai", "gpt-4o-mini"));
    bed.sourceError("broken.yaml", 3, "YAML syntax: mapping values are not allowed here");
    bed.upsert(AdminTestbed.backend("openai", "AzureOpenAI"));
    bed.upsert(AdminTestbed.route("other", "openai", "o1"));
    bed.delete(AdminTestbed.route("other", "openai", "o1"));
    bed.start();
    client =
        WebClient.create(
            vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(bed.port()));
  }

  @AfterEach
  void stop() {
    client.close();
    bed.close();
  }

  private HttpResponse<Buffer> get(String path, String token) {
    return send(HttpMethod.GET, path, token);
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, String token) {
    var request = client.request(method, path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request
        .send()
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(20, TimeUnit.SECONDS)
        .join();
  }

  private HttpResponse<Buffer> get(String path) {
    return get(path, AdminTestbed.READER);
  }

  private JsonObject ok(String path) {
    HttpResponse<Buffer> response = get(path);
    assertThat(response.statusCode()).as(path + ": " + response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private void assertError(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("error")).isNotBlank();
  }

  private HttpResponse<Buffer> post(String path, String token, Object body) {
    var request = client.post(path).bearerTokenAuthentication(token);
    var sent =
        body instanceof String text
            ? request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(text))
            : request.sendJsonObject((JsonObject) body);
    return sent.toCompletionStage().toCompletableFuture().orTimeout(60, TimeUnit.SECONDS).join();
  }

  private static List<Long> seqs(JsonArray entries) {
    return IntStream.range(0, entries.size())
        .mapToObj(i -> entries.getJsonObject(i).getLong("seq"))
        .toList();
  }

  private static List<Long> numbers(JsonArray array) {
    return array.stream().map(n -> ((Number) n).longValue()).toList();
  }

  @Nested
  class Auth {
    @Test
    void apiWithoutTokenIs401WithChallenge() {
      HttpResponse<Buffer> response = get("/api/log", null);
      assertError(response, 401);
      assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void unknownTokenIs401() {
      assertError(get("/api/log", "not-a-token-of-this-server"), 401);
    }

    @Test
    void malformedAuthorizationIs401() {
      HttpResponse<Buffer> response =
          client
              .get("/api/log")
              .putHeader("Authorization", "Basic Zm9vOmJhcg==")
              .send()
              .toCompletionStage()
              .toCompletableFuture()
              .orTimeout(20, TimeUnit.SECONDS)
              .join();
      assertError(response, 401);
    }

    @Test
    void whoamiNamesTheRole() {
      assertThat(ok("/api/whoami").getString("role")).isEqualTo("read-only");
      assertThat(get("/api/whoami", AdminTestbed.ADMIN).bodyAsJsonObject().getString("role"))
          .isEqualTo("admin");
    }

    @Test
    void readOnlyTokenOnAdminActionsIs403() {
      assertError(post("/api/replay", AdminTestbed.READER, new JsonObject()), 403);
      assertError(
          post(
              "/api/restore",
              AdminTestbed.READER,
              new JsonObject().put("kind", "AIGatewayRoute").put("name", "chat").put("seq", 4)),
          403);
      assertThat(bed.restored).isEmpty();
    }

    @Test
    void probesMetricsAndDashboardNeedNoToken() {
      assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
      assertThat(get("/readyz", null).bodyAsJsonObject().getString("status")).isEqualTo("ready");
      String metrics = get("/metrics", null).bodyAsString();
      assertThat(metrics).contains("# process metrics").contains("aigw_admin_index_seq 9");
      HttpResponse<Buffer> page = get("/", null);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.bodyAsString()).contains("<title>aigw admin</title>");
      assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'self'");
      assertThat(get("/app.js", null).statusCode()).isEqualTo(200);
      assertThat(get("/app.css", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theDashboardsFilesAreRevalidatedByETagAndUnknownPathsAre404() {
      HttpResponse<Buffer> script = get("/app.js", null);
      assertThat(script.getHeader("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
      assertThat(script.getHeader("Cache-Control")).isEqualTo("no-cache");
      String etag = script.getHeader("ETag");
      assertThat(etag).matches("\"[0-9a-f]{32}\"");

      HttpResponse<Buffer> again =
          client
              .get("/app.js")
              .putHeader("If-None-Match", etag)
              .send()
              .toCompletionStage()
              .toCompletableFuture()
              .orTimeout(20, TimeUnit.SECONDS)
              .join();
      assertThat(again.statusCode()).isEqualTo(304);
      assertThat(again.body()).isNull();
      assertThat(get("/index.html", null).bodyAsString()).isEqualTo(get("/", null).bodyAsString());
      HttpResponse<Buffer> unknown = get("/favicon.ico", null);
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.getHeader("ETag")).isNull();
    }

    @Test
    void aWebrootDirectoryWhereAigwStartsIsNotServed() throws IOException {
      // Vert.x's static handler serves from the working directory before the classpath: a
      // webroot there, which whoever can write to that directory could make, must not reach a
      // browser
      Path planted = Path.of("webroot", "planted.js");
      boolean existed = Files.exists(planted.getParent());
      Files.createDirectories(planted.getParent());
      Files.writeString(planted, "alert('planted')");
      try {
        HttpResponse<Buffer> response = get("/planted.js", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.bodyAsString()).doesNotContain("planted");
      } finally {
        Files.delete(planted);
        if (!existed) {
          Files.delete(planted.getParent());
        }
      }
    }

    @Test
    void aRequestTheServerCannotReadIsStillAJsonError() {
      // a path that does not decode failed the error handler itself: a stack trace per request
      for (String path : List.of("/api/log/%", "/%zz")) {
        assertError(get(path, null), 400);
      }
      assertError(get("/api/log?kind=" + "k".repeat(10_000)), 414);
      HttpResponse<Buffer> headers =
          client
              .get("/api/log")
              .putHeader("x-padding", "p".repeat(10_000))
              .send()
              .toCompletionStage()
              .toCompletableFuture()
              .orTimeout(20, TimeUnit.SECONDS)
              .join();
      assertError(headers, 431);
    }

    @Test
    void unknownApiPathIs404AndWrongMethodIs405() {
      assertError(get("/api/nothing-here"), 404);
      HttpResponse<Buffer> response = send(HttpMethod.DELETE, "/api/log", AdminTestbed.READER);
      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(response.getHeader("Allow")).isEqualTo("GET");
      assertThat(response.bodyAsJsonObject().getString("error"))
          .isEqualTo("DELETE /api/log is not allowed; use GET");
      HttpResponse<Buffer> replay = get("/api/replay");
      assertThat(replay.statusCode()).isEqualTo(405);
      assertThat(replay.getHeader("Allow")).isEqualTo("POST");
      HttpResponse<Buffer> entry = send(HttpMethod.POST, "/api/log/3", AdminTestbed.READER);
      assertThat(entry.statusCode()).as("a path with a parameter").isEqualTo(405);
      assertThat(entry.getHeader("Allow")).isEqualTo("GET");
    }
  }

  @Nested
  class Log {
    @Test
    void listsEntriesInSeqOrderWithSummaries() {
      JsonObject page = ok("/api/log");
      assertThat(seqs(page.getJsonArray("entries")))
          .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
      assertThat(page.getValue("next")).isNull();
      assertThat(page.getLong("latestSeq")).isEqualTo(9);
      JsonObject fourth = page.getJsonArray("entries").getJsonObject(3);
      assertThat(fourth.getString("summary")).isEqualTo("created AIGatewayRoute default/chat");
      assertThat(fourth.getString("kind")).isEqualTo("AIGatewayRoute");
      assertThat(fourth.getString("time")).isEqualTo("2026-11-26T10:00:00Z");
      assertThat(page.getJsonArray("entries").getJsonObject(4).getString("summary"))
          .startsWith("updated AIGatewayRoute default/chat");
      assertThat(page.getJsonArray("entries").getJsonObject(5).getString("type"))
          .isEqualTo("ERROR");
      assertThat(page.getJsonArray("entries").getJsonObject(8).getString("summary"))
          .isEqualTo("deleted AIGatewayRoute default/other");
    }

    @Test
    void pagesWithCursorsBothWays() {
      JsonObject first = ok("/api/log?limit=3");
      assertThat(seqs(first.getJsonArray("entries"))).containsExactly(1L, 2L, 3L);
      assertThat(first.getLong("next")).isEqualTo(4);
      assertThat(seqs(ok("/api/log?limit=3&from=4").getJsonArray("entries")))
          .containsExactly(4L, 5L, 6L);
      JsonObject newest = ok("/api/log?order=desc&limit=2");
      assertThat(seqs(newest.getJsonArray("entries"))).containsExactly(9L, 8L);
      assertThat(newest.getLong("next")).isEqualTo(7);
      JsonObject older = ok("/api/log?order=desc&limit=5&from=7");
      assertThat(seqs(older.getJsonArray("entries"))).containsExactly(7L, 6L, 5L, 4L, 3L);
      assertThat(seqs(ok("/api/log?from=100").getJsonArray("entries"))).isEmpty();
    }

    @Test
    void filtersByKindNamespaceAndName() {
      assertThat(seqs(ok("/api/log?kind=AIGatewayRoute").getJsonArray("entries")))
          .containsExactly(4L, 5L, 8L, 9L);
      assertThat(seqs(ok("/api/log?kind=AIGatewayRoute&name=chat").getJsonArray("entries")))
          .containsExactly(4L, 5L);
      assertThat(seqs(ok("/api/log?kind=SourceError").getJsonArray("entries"))).containsExactly(6L);
      assertThat(seqs(ok("/api/log?namespace=elsewhere").getJsonArray("entries"))).isEmpty();
      JsonObject page = ok("/api/log?kind=AIGatewayRoute&limit=1&order=desc");
      assertThat(seqs(page.getJsonArray("entries"))).containsExactly(9L);
      assertThat(page.getLong("next")).isEqualTo(8);
    }

    @Test
    void endsAPageAtTheLastEntryRecordedByATime() {
      // every entry of the testbed is recorded at 2026-11-26T10:00:00Z
      JsonObject byThen = ok("/api/log?order=desc&before=2026-11-26T10:00:00Z&limit=2");
      assertThat(seqs(byThen.getJsonArray("entries"))).containsExactly(9L, 8L);
      JsonObject offset = ok("/api/log?order=desc&before=2026-11-26T11:00:00%2B01:00");
      assertThat(seqs(offset.getJsonArray("entries"))).first().isEqualTo(9L);
      JsonObject before = ok("/api/log?order=desc&before=2026-11-26T09:59:59Z");
      assertThat(before.getJsonArray("entries")).isEmpty();
      for (String query :
          List.of(
              "before=2026-11-26T10:00:00Z",
              "order=desc&from=3&before=2026-11-26T10:00:00Z",
              "order=desc&before=yesterday")) {
        assertError(get("/api/log?" + query), 400);
      }
    }

    @Test
    void rejectsMalformedParameters() {
      for (String query :
          List.of(
              "limit=0",
              "limit=abc",
              "limit=1001",
              "from=-1",
              "from=1e3",
              "order=sideways",
              "from=99999999999999999999",
              "kind=" + "k".repeat(600),
              "limit=1&limit=2")) {
        assertError(get("/api/log?" + query), 400);
      }
    }

    @Test
    void entryShowsTheObjectAndTheFieldDiffAgainstThePreviousVersion() {
      JsonObject entry = ok("/api/log/5");
      assertThat(entry.getJsonObject("entry").getLong("seq")).isEqualTo(5);
      assertThat(entry.getLong("previousSeq")).isEqualTo(4);
      assertThat(entry.getValue("nextSeq")).isNull();
      assertThat(entry.getString("yaml")).contains("gpt-4o-mini");
      assertThat(entry.getString("previousYaml")).contains("value: gpt-4o\n");
      JsonArray changes = entry.getJsonArray("changes");
      assertThat(changes.stream().map(c -> ((JsonObject) c).getString("path")))
          .contains("spec.rules[0].matches[0].headers[0].value", "metadata.resourceVersion");
      JsonObject value =
          changes.stream()
              .map(JsonObject.class::cast)
              .filter(c -> c.getString("path").endsWith("headers[0].value"))
              .findFirst()
              .orElseThrow();
      assertThat(value.getString("op")).isEqualTo("changed");
      assertThat(value.getString("from")).isEqualTo("gpt-4o");
      assertThat(value.getString("to")).isEqualTo("gpt-4o-mini");
      JsonObject effect = entry.getJsonObject("effect");
      assertThat(effect.getJsonObject("counts").getInteger("changed")).isPositive();
    }

    @Test
    void firstVersionIsAllAddedAndDeleteIsAllRemoved() {
      JsonObject created = ok("/api/log/4");
      assertThat(created.getValue("previousSeq")).isNull();
      assertThat(created.getLong("nextSeq")).isEqualTo(5);
      assertThat(created.getJsonArray("changes").getJsonObject(0).getString("op"))
          .isEqualTo("added");
      assertThat(created.getJsonObject("effect").getJsonObject("counts").getInteger("added"))
          .isPositive();
      JsonObject deleted = ok("/api/log/9");
      assertThat(deleted.getJsonArray("changes").getJsonObject(0).getString("op"))
          .isEqualTo("removed");
      assertThat(deleted.getJsonObject("effect").getJsonObject("counts").getInteger("removed"))
          .isPositive();
    }

    @Test
    void sourceErrorEntryShowsFileLineAndReason() {
      JsonObject entry = ok("/api/log/6");
      assertThat(entry.getJsonObject("error").getString("file")).isEqualTo("broken.yaml");
      assertThat(entry.getJsonObject("error").getInteger("line")).isEqualTo(3);
      assertThat(entry.getValue("object")).isNull();
    }

    @Test
    void unknownSeqIs404AndMalformedSeqIs400() {
      assertError(get("/api/log/10"), 404);
      assertError(get("/api/log/0"), 404);
      assertError(get("/api/log/abc"), 400);
      assertError(get("/api/log/-3"), 400);
    }
  }

  @Nested
  class State {
    @Test
    void latestStateHasEveryPart() {
      JsonObject state = ok("/api/state");
      assertThat(state.getLong("seq")).isEqualTo(9);
      assertThat(state.getJsonObject("world").getInteger("total")).isEqualTo(4);
      assertThat(state.getJsonObject("desired").getInteger("total")).isPositive();
      assertThat(state.getJsonObject("filterConfigs").getInteger("total")).isEqualTo(1);
      JsonArray statuses = state.getJsonObject("statuses").getJsonArray("items");
      assertThat(statuses.size()).isEqualTo(3);
      JsonObject desired = state.getJsonObject("desired").getJsonArray("items").getJsonObject(0);
      assertThat(desired.getString("yaml")).startsWith("---");
      assertThat(desired.getJsonArray("provenance")).isNotEmpty();
    }

    @Test
    void stateAtAnEarlierSeqIsThatPointInTime() {
      JsonObject before = ok("/api/state?at=3");
      assertThat(before.getJsonObject("desired").getInteger("total")).isZero();
      JsonObject at4 = ok("/api/state?at=4&section=desired&kind=ConfigMap");
      assertThat(
              at4.getJsonObject("desired").getJsonArray("items").getJsonObject(0).getString("yaml"))
          .contains("gpt-4o");
      assertThat(at4.getValue("world")).isNull();
      JsonObject empty = ok("/api/state?at=0");
      assertThat(empty.getJsonObject("world").getInteger("total")).isZero();
    }

    @Test
    void theStatusesThatAreNotAcceptedAreCountedAndListedOnTheirOwn() {
      int before = ok("/api/state").getInteger("notAccepted");
      bed.upsert(AdminTestbed.route("zzz-broken", "missing-backend", "broken-model"));
      bed.awaitIndexed();
      JsonObject state = ok("/api/state");
      assertThat(state.getInteger("notAccepted")).isEqualTo(before + 1);
      assertThat(ok("/api/state?namespace=elsewhere").getInteger("notAccepted"))
          .as("counted among the statuses the filters keep")
          .isZero();
      int total = state.getJsonObject("statuses").getInteger("total");
      JsonObject rejected = ok("/api/state?section=statuses&accepted=false");
      assertThat(rejected.getJsonObject("statuses").getInteger("total")).isEqualTo(before + 1);
      assertThat(rejected.getJsonObject("statuses").getJsonArray("items").stream())
          .map(JsonObject.class::cast)
          .allMatch(item -> !item.getBoolean("accepted"))
          .anyMatch(item -> item.getString("name").equals("zzz-broken"));
      JsonObject accepted = ok("/api/state?section=statuses&accepted=true");
      assertThat(accepted.getJsonObject("statuses").getInteger("total"))
          .isEqualTo(total - before - 1);
      assertError(get("/api/state?section=statuses&accepted=maybe"), 400);

      JsonObject diff = ok("/api/diff?from=9&to=10");
      assertThat(diff.getInteger("statusesTotal"))
          .isEqualTo(diff.getJsonArray("statuses").size())
          .isPositive();
    }

    @Test
    void worldSectionShowsSecretsAsKeyNamesAndDigests() {
      JsonObject world = ok("/api/state?section=world&kind=Secret").getJsonObject("world");
      JsonObject secret = world.getJsonArray("items").getJsonObject(0);
      // keyed: the recorded SHA-256 would let a read-only token confirm a guessed value
      assertThat(secret.getJsonObject("object").getJsonObject("data").getString("apiKey"))
          .isEqualTo(SecretRedaction.shown("sha256:" + "a".repeat(64)));
      assertThat(ok("/api/state?section=world&kind=Secret").encode())
          .doesNotContain("a".repeat(64));
    }

    @Test
    void pagesASectionWithACursor() {
      JsonObject first = ok("/api/state?section=desired&limit=1&objects=false");
      JsonObject section = first.getJsonObject("desired");
      assertThat(section.getJsonArray("items")).hasSize(1);
      String next = section.getString("next");
      assertThat(next).isNotBlank();
      JsonObject second = ok("/api/state?section=desired&limit=1&objects=false&after=" + next);
      assertThat(
              second
                      .getJsonObject("desired")
                      .getJsonArray("items")
                      .getJsonObject(0)
                      .getString("name")
                  + second
                      .getJsonObject("desired")
                      .getJsonArray("items")
                      .getJsonObject(0)
                      .getString("kind"))
          .isNotEqualTo(
              section.getJsonArray("items").getJsonObject(0).getString("name")
                  + section.getJsonArray("items").getJsonObject(0).getString("kind"));
      assertThat(
              second
                  .getJsonObject("desired")
                  .getJsonArray("items")
                  .getJsonObject(0)
                  .getValue("object"))
          .isNull();
    }

    @Test
    void rejectsBadInput() {
      assertError(get("/api/state?at=10"), 404);
      assertError(get("/api/state?at=x"), 400);
      assertError(get("/api/state?at=-1"), 400);
      assertError(get("/api/state?section=everything"), 400);
      assertError(get("/api/state?after=abc"), 400);
      assertError(get("/api/state?section=desired&after=%%%"), 400);
      assertError(get("/api/state?objects=maybe"), 400);
    }
  }

  @Nested
  class Diff {
    @Test
    void showsChangedResourcesWithPerFieldDiffs() {
      JsonObject diff = ok("/api/diff?from=4&to=5&objects=true");
      assertThat(diff.getJsonObject("counts").getInteger("changed")).isPositive();
      JsonObject change =
          diff.getJsonArray("changes").stream()
              .map(JsonObject.class::cast)
              .filter(c -> c.getJsonArray("fields") != null && !c.getJsonArray("fields").isEmpty())
              .findFirst()
              .orElseThrow();
      assertThat(change.getString("change")).isEqualTo("changed");
      assertThat(change.getString("beforeYaml")).isNotBlank();
      assertThat(numbers(change.getJsonArray("provenanceAfter"))).contains(5L);
    }

    @Test
    void fromEmptyEverythingIsAddedAndBackIsRemoved() {
      JsonObject up = ok("/api/diff?from=0&to=4");
      assertThat(up.getJsonObject("counts").getInteger("added")).isPositive();
      assertThat(up.getJsonObject("counts").getInteger("removed")).isZero();
      JsonObject same = ok("/api/diff?from=5&to=5");
      assertThat(same.getJsonObject("counts").getInteger("changed")).isZero();
      assertThat(same.getJsonArray("changes")).isEmpty();
      JsonObject down = ok("/api/diff?from=8&to=9");
      assertThat(down.getJsonObject("counts").getInteger("removed")).isPositive();
    }

    @Test
    void pagesChanges() {
      JsonObject first = ok("/api/diff?from=0&to=9&limit=1");
      assertThat(first.getJsonArray("changes")).hasSize(1);
      JsonObject second = ok("/api/diff?from=0&to=9&limit=1&after=" + first.getString("next"));
      assertThat(second.getJsonArray("changes")).hasSize(1);
      assertThat(second.getJsonArray("changes").getJsonObject(0).encode())
          .isNotEqualTo(first.getJsonArray("changes").getJsonObject(0).encode());
    }

    @Test
    void rejectsBadInput() {
      assertError(get("/api/diff?from=5&to=4"), 400);
      assertError(get("/api/diff?to=4"), 400);
      assertError(get("/api/diff?from=1"), 400);
      assertError(get("/api/diff?from=a&to=4"), 400);
      assertError(get("/api/diff?from=1&to=10"), 404);
    }
  }

  @Nested
  class Provenance {
    @Test
    void listsTheEntriesThatShapedAGeneratedResource() {
      JsonObject view = ok("/api/provenance?kind=HTTPRoute&namespace=default&name=chat");
      List<Long> provenance = numbers(view.getJsonArray("provenance"));
      assertThat(provenance).contains(5L).doesNotContain(4L);
      assertThat(seqs(view.getJsonArray("entries"))).isEqualTo(provenance);
      JsonObject earlier = ok("/api/provenance?kind=HTTPRoute&namespace=default&name=chat&at=4");
      assertThat(numbers(earlier.getJsonArray("provenance"))).contains(4L);
    }

    @Test
    void rejectsBadInput() {
      assertError(get("/api/provenance?namespace=default&name=chat"), 400);
      assertError(get("/api/provenance?kind=HTTPRoute&namespace=default"), 400);
      assertError(get("/api/provenance?kind=HTTPRoute&namespace=default&name=nope"), 404);
      assertError(get("/api/provenance?kind=HTTPRoute&namespace=default&name=chat&at=3"), 404);
      assertError(get("/api/provenance?kind=HTTPRoute&namespace=default&name=chat&at=99"), 404);
      assertError(get("/api/provenance?kind=HTTPRoute&namespace=default&name=chat&at=z"), 400);
    }
  }

  @Nested
  class History {
    @Test
    void listsEveryVersionOfAnObject() {
      JsonObject history = ok("/api/objects/AIGatewayRoute/default/chat/history");
      assertThat(history.getInteger("total")).isEqualTo(2);
      JsonArray versions = history.getJsonArray("versions");
      assertThat(versions.getJsonObject(0).getJsonObject("entry").getLong("seq")).isEqualTo(4);
      assertThat(versions.getJsonObject(1).getJsonObject("object").encode())
          .contains("gpt-4o-mini");
      JsonObject paged = ok("/api/objects/AIGatewayRoute/default/chat/history?limit=1");
      assertThat(paged.getLong("next")).isEqualTo(5);
      assertThat(
              ok("/api/objects/AIGatewayRoute/default/chat/history?from=5")
                  .getJsonArray("versions"))
          .hasSize(1);
      assertThat(ok("/api/objects/AIGatewayRoute/default/other/history").getInteger("total"))
          .isEqualTo(2);
      JsonArray bare =
          ok("/api/objects/AIGatewayRoute/default/chat/history?objects=false")
              .getJsonArray("versions");
      assertThat(bare).hasSize(2);
      assertThat(bare.getJsonObject(1).containsKey("object")).isFalse();
      assertThat(bare.getJsonObject(1).getJsonObject("entry").getLong("seq")).isEqualTo(5);
    }

    @Test
    void rejectsBadInput() {
      assertError(get("/api/objects/AIGatewayRoute/default/nope/history"), 404);
      assertError(get("/api/objects/AIGatewayRoute/default/chat/history?limit=0"), 400);
      assertError(get("/api/objects/AIGatewayRoute/default/chat/history?from=x"), 400);
      assertError(get("/api/objects/AIGatewayRoute/default/chat/history?group=nope"), 404);
    }
  }

  @Nested
  class Replay {
    @Test
    void shadowReplayEqualsTheLiveState() {
      HttpResponse<Buffer> response = post("/api/replay", AdminTestbed.ADMIN, new JsonObject());
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      JsonObject report = response.bodyAsJsonObject();
      assertThat(report.getBoolean("equal")).isTrue();
      assertThat(report.getLong("entriesReplayed")).isEqualTo(9);
      assertThat(report.getInteger("differenceCount")).isZero();
      JsonObject partial =
          post("/api/replay", AdminTestbed.ADMIN, new JsonObject().put("to", 4)).bodyAsJsonObject();
      assertThat(partial.getLong("to")).isEqualTo(4);
      assertThat(partial.getBoolean("equal")).isTrue();
    }

    @Test
    void rejectsBadInput() {
      assertError(post("/api/replay", AdminTestbed.ADMIN, new JsonObject().put("to", 99)), 404);
      assertError(post("/api/replay", AdminTestbed.ADMIN, new JsonObject().put("to", -1)), 400);
      assertError(post("/api/replay", AdminTestbed.ADMIN, new JsonObject().put("to", 1.5)), 400);
      assertError(post("/api/replay", AdminTestbed.ADMIN, new JsonObject().put("to", true)), 400);
      assertError(post("/api/replay", AdminTestbed.ADMIN, "{not json"), 400);
      assertError(post("/api/replay", AdminTestbed.ADMIN, "[1,2]"), 400);
      assertError(
          post("/api/replay", AdminTestbed.ADMIN, "{\"to\":\"" + "9".repeat(40) + "\"}"), 400);
      // a misspelt field would otherwise replay to the latest seq
      HttpResponse<Buffer> misspelt =
          post("/api/replay", AdminTestbed.ADMIN, new JsonObject().put("tO", 4));
      assertError(misspelt, 400);
      assertThat(misspelt.bodyAsJsonObject().getString("error"))
          .isEqualTo("unknown field tO; the body takes to");
    }
  }

  @Nested
  class Restore {
    @Test
    void handsTheVersionInEffectAtSeqToTheTarget() {
      HttpResponse<Buffer> response =
          post(
              "/api/restore",
              AdminTestbed.ADMIN,
              new JsonObject()
                  .put("kind", "AIGatewayRoute")
                  .put("namespace", "default")
                  .put("name", "chat")
                  .put("seq", 4));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      JsonObject result = response.bodyAsJsonObject();
      assertThat(result.getLong("versionSeq")).isEqualTo(4);
      assertThat(result.getString("target")).isEqualTo("test target");
      assertThat(bed.restored).hasSize(1);
      assertThat(bed.restored.get(0).object().toString()).contains("\"gpt-4o\"");
      assertThat(bed.log.latestSeq()).as("the admin API never appends").isEqualTo(9);
      JsonObject laterSeq =
          post(
                  "/api/restore",
                  AdminTestbed.ADMIN,
                  new JsonObject()
                      .put("kind", "AIGatewayRoute")
                      .put("namespace", "default")
                      .put("name", "chat")
                      .put("seq", 7))
              .bodyAsJsonObject();
      assertThat(laterSeq.getLong("versionSeq")).isEqualTo(5);
    }

    @Test
    void rejectsWhatCannotBeRestored() {
      JsonObject route =
          new JsonObject()
              .put("kind", "AIGatewayRoute")
              .put("namespace", "default")
              .put("name", "chat");
      assertError(post("/api/restore", AdminTestbed.ADMIN, route.copy().put("seq", 3)), 404);
      assertError(post("/api/restore", AdminTestbed.ADMIN, route.copy().put("seq", 99)), 404);
      assertError(post("/api/restore", AdminTestbed.ADMIN, route.copy()), 400);
      assertError(post("/api/restore", AdminTestbed.ADMIN, route.copy().put("seq", "x")), 400);
      assertError(
          post("/api/restore", AdminTestbed.ADMIN, route.copy().put("name", "other").put("seq", 9)),
          404);
      assertError(
          post("/api/restore", AdminTestbed.ADMIN, route.copy().put("name", "nope").put("seq", 9)),
          404);
      assertError(
          post(
              "/api/restore",
              AdminTestbed.ADMIN,
              new JsonObject()
                  .put("kind", "Secret")
                  .put("namespace", "default")
                  .put("name", "openai-key")
                  .put("seq", 9)),
          400);
      assertError(
          post(
              "/api/restore",
              AdminTestbed.ADMIN,
              new JsonObject().put("kind", "SourceError").put("name", "broken.yaml").put("seq", 9)),
          400);
      assertError(post("/api/restore", AdminTestbed.ADMIN, new JsonObject().put("seq", 4)), 400);
      assertError(post("/api/restore", AdminTestbed.ADMIN, "{\"kind\": 5}"), 400);
      assertError(post("/api/restore", AdminTestbed.ADMIN, "x".repeat(20_000)), 413);
      assertThat(bed.restored).isEmpty();
    }
  }

  @Nested
  class ApplyOutcomes {
    @Test
    void showsWhatTheApplierDidWithoutMakingItAVersion() {
      bed.append(
          new ApplyOutcome(
              "k8s:test",
              "gateway.networking.k8s.io/v1",
              "HTTPRoute",
              "default",
              "chat",
              "",
              Outcome.CREATED,
              "",
              5));
      bed.append(
          new ApplyOutcome(
              "k8s:test",
              AdminTestbed.AI,
              "AIGatewayRoute",
              "default",
              "chat",
              "status",
              Outcome.FAILED,
              "conflict",
              5));
      bed.awaitIndexed();
      JsonObject page = ok("/api/log?kind=HTTPRoute");
      JsonObject line = page.getJsonArray("entries").getJsonObject(0);
      assertThat(line.getString("type")).isEqualTo("APPLIED");
      assertThat(line.getString("summary"))
          .isEqualTo("Created HTTPRoute default/chat (desired state of seq 5)");
      JsonObject entry = ok("/api/log/11");
      assertThat(entry.getJsonObject("applied").getString("outcome")).isEqualTo("FAILED");
      assertThat(entry.getJsonObject("applied").getString("reason")).isEqualTo("conflict");
      assertThat(entry.getValue("object")).isNull();
      assertThat(ok("/api/objects/AIGatewayRoute/default/chat/history").getInteger("total"))
          .isEqualTo(2);
      assertThat(ok("/api/log/5").getValue("nextSeq")).isNull();
    }
  }

  @Nested
  class RotationOutcomes {
    @Test
    void showHowARotationWentOnThePolicyWithoutMakingItAVersion() {
      bed.append(new RotationOutcome("k8s:test", "default", "aws", "u-1", 2, "STS answered 403"));
      bed.awaitIndexed();
      JsonObject line =
          ok("/api/log?kind=BackendSecurityPolicy&name=aws")
              .getJsonArray("entries")
              .getJsonObject(0);
      assertThat(line.getString("type")).isEqualTo("ROTATION");
      assertThat(line.getString("name")).isEqualTo("aws");
      assertThat(line.getString("summary"))
          .isEqualTo(
              "Failed to rotate the credential of BackendSecurityPolicy default/aws: STS answered"
                  + " 403 (generation 2)");
      JsonObject entry = ok("/api/log/" + line.getLong("seq"));
      assertThat(entry.getJsonObject("rotation").getString("outcome")).isEqualTo("FAILED");
      assertThat(entry.getJsonObject("rotation").getString("reason")).isEqualTo("STS answered 403");
      assertThat(entry.getJsonObject("rotation").getLong("generation")).isEqualTo(2);
      assertThat(entry.getValue("object")).isNull();
      assertThat(ok("/api/objects/BackendSecurityPolicy/default/aws/history").getInteger("total"))
          .isZero();
    }
  }

  @Nested
  class Stream {
    @Test
    void aCursorBeyondTheLogIsA404RatherThanASilentStream() {
      assertError(get("/api/stream?from=99999"), 404);
      assertThat(get("/api/stream?from=99999").bodyAsJsonObject().getString("error"))
          .isEqualTo("no seq 99999 in the log (latest 9)");
    }

    @Test
    void sendsEntriesAfterTheCursorThenLiveOnes(Vertx vertx) {
      HttpClient http = vertx.createHttpClient();
      StringBuilder received = new StringBuilder();
      try {
        var response =
            openStream(
                http,
                "/api/stream?from=7&kind=AIGatewayRoute",
                AdminTestbed.READER,
                chunk -> {
                  synchronized (received) {
                    received.append(chunk.toString());
                  }
                });
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).startsWith("text/event-stream");

        Awaitility.await()
            .atMost(10, TimeUnit.SECONDS)
            .until(() -> text(received).contains("id: 9\n"));
        assertThat(text(received)).contains("id: 8\n").doesNotContain("id: 7\n");
        bed.upsert(AdminTestbed.backend("openai", "OpenAI"));
        bed.upsert(AdminTestbed.route("late", "openai", "gpt-4o"));
        Awaitility.await()
            .atMost(10, TimeUnit.SECONDS)
            .until(() -> text(received).contains("id: 11\n"));
        assertThat(text(received))
            .doesNotContain("id: 10\n")
            .contains("event: entry")
            .contains("created AIGatewayRoute default/late");
      } finally {
        http.close()
            .toCompletionStage()
            .toCompletableFuture()
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
      }
    }

    private static String text(StringBuilder received) {
      synchronized (received) {
        return received.toString();
      }
    }

    @Test
    void rejectsBadInput() {
      assertError(get("/api/stream?from=x"), 400);
      assertError(get("/api/stream", null), 401);
    }

    /**
     * Opens {@code uri} as a stream with {@code token}, hands its chunks to {@code chunks}, and
     * leaves it open.
     */
    private HttpClientResponse openStream(
        HttpClient http, String uri, String token, Handler<Buffer> chunks) {
      return http.request(
              new RequestOptions()
                  .setMethod(HttpMethod.GET)
                  .setHost("127.0.0.1")
                  .setPort(bed.port())
                  .setURI(uri)
                  .putHeader("Authorization", "Bearer " + token))
          .compose(request -> request.send())
          .map(
              answer -> {
                answer.handler(chunks);
                return answer;
              })
          .toCompletionStage()
          .toCompletableFuture()
          .orTimeout(10, TimeUnit.SECONDS)
          .join();
    }

    /** Opens a stream with {@code token} and leaves it open; its status. */
    private int open(HttpClient http, String token) {
      return openStream(http, "/api/stream", token, chunk -> {}).statusCode();
    }

    @Test
    void oneTokenCannotTakeEveryStreamSlot(Vertx vertx) {
      HttpClient http = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(40));
      try {
        for (int i = 0; i < StreamHandler.MAX_CLIENTS_PER_TOKEN; i++) {
          assertThat(open(http, AdminTestbed.READER)).isEqualTo(200);
        }
        assertThat(open(http, AdminTestbed.READER)).isEqualTo(429);
        // the other tokens' dashboards still get their live timeline
        assertThat(open(http, AdminTestbed.ADMIN)).isEqualTo(200);
      } finally {
        http.close()
            .toCompletionStage()
            .toCompletableFuture()
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
      }
    }
  }
}
