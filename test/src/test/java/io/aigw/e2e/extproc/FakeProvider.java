package io.aigw.e2e.extproc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * An OpenAI-compatible provider on loopback that replays the recorded exchanges of {@code
 * shared/fixtures/upstream/cassettes} (go-vcr v2 YAML). A request is matched on method, path and a
 * semantically equal JSON body ({@code stream_options}, which the gateway may add, is ignored);
 * {@code X-Cassette-Name} narrows the search to one cassette. Streamed bodies are sent in small
 * pieces that cut across event boundaries; when the request asked for {@code include_usage} and the
 * recording has no usage chunk, one is added before {@code [DONE]}, as OpenAI would. It records
 * every request it receives.
 */
final class FakeProvider {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A synthetic usage chunk: what OpenAI sends last when {@code include_usage} is true. */
  static final String USAGE_CHUNK =
      "data: {\"id\":\"synthetic\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"gpt-5-nano-2025-08-07\","
          + "\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":30,\"total_tokens\":38}}\n\n";

  record Interaction(
      String cassette,
      String method,
      String path,
      JsonNode body,
      int status,
      Map<String, String> headers,
      String responseBody) {}

  record Received(String method, String path, Map<String, String> headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** How the provider answers. */
  enum Behaviour {
    REPLAY,
    FAIL_503,
    /** Replays a stream but holds its last piece until {@link #releaseHeldPiece()}. */
    HOLD_LAST_PIECE
  }

  /** Bytes per write of a streamed reply: small, so that SSE events are split across chunks. */
  private static final int PIECE = 97;

  private final Vertx vertx;
  private final List<Interaction> interactions;
  final List<Received> received = new CopyOnWriteArrayList<>();
  volatile Behaviour behaviour = Behaviour.REPLAY;
  private final CompletableFuture<Void> release = new CompletableFuture<>();
  private HttpServer server;

  FakeProvider(Vertx vertx) {
    this.vertx = vertx;
    this.interactions = load(cassettes());
  }

  static Path cassettes() {
    return Path.of(System.getProperty("aigw.root", ".."))
        .resolve("../shared/fixtures/upstream/cassettes")
        .normalize();
  }

  static Interaction cassette(String name) {
    return load(cassettes()).stream()
        .filter(i -> i.cassette().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static List<Interaction> load(Path dir) {
    List<Interaction> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file :
          files
              .filter(
                  f ->
                      f.toString().endsWith(".yaml")
                          && !f.getFileName().toString().startsWith("UPSTREAM"))
              .sorted()
              .toList()) {
        String name = file.getFileName().toString().replace(".yaml", "");
        for (JsonNode interaction : YAML.readTree(file.toFile()).path("interactions")) {
          JsonNode request = interaction.path("request");
          JsonNode response = interaction.path("response");
          Map<String, String> headers = new LinkedHashMap<>();
          response
              .path("headers")
              .fields()
              .forEachRemaining(
                  h ->
                      headers.put(
                          h.getKey().toLowerCase(Locale.ROOT), h.getValue().path(0).asText()));
          all.add(
              new Interaction(
                  name,
                  request.path("method").asText(),
                  URI.create(request.path("url").asText()).getPath(),
                  parse(request.path("body").asText()),
                  response.path("code").asInt(),
                  headers,
                  response.path("body").asText()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node instanceof ObjectNode object) {
        object.remove("stream_options");
      }
      return node;
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(body);
    }
  }

  Future<FakeProvider> start() {
    return vertx
        .createHttpServer()
        .requestHandler(this::handle)
        .listen(0, "127.0.0.1")
        .map(
            s -> {
              server = s;
              return this;
            });
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              Map<String, String> headers = new LinkedHashMap<>();
              request
                  .headers()
                  .forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
              String text = body.toString(StandardCharsets.UTF_8);
              received.add(new Received(request.method().name(), request.uri(), headers, text));
              if (behaviour == Behaviour.FAIL_503) {
                request
                    .response()
                    .setStatusCode(503)
                    .putHeader("content-type", "application/json")
                    .end("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
                return;
              }
              Optional<Interaction> match =
                  match(
                      request.method().name(),
                      request.path(),
                      headers.get("x-cassette-name"),
                      parse(text));
              if (match.isEmpty()) {
                request
                    .response()
                    .setStatusCode(400)
                    .putHeader("x-testopenai-error", "true")
                    .end("no recorded interaction matches");
                return;
              }
              reply(request.response(), match.get(), wantsUsage(text));
            });
  }

  private static boolean wantsUsage(String body) {
    try {
      return JSON.readTree(body).path("stream_options").path("include_usage").asBoolean(false);
    } catch (IOException e) {
      return false;
    }
  }

  private Optional<Interaction> match(String method, String path, String cassette, JsonNode body) {
    return interactions.stream()
        .filter(i -> cassette == null || i.cassette().equals(cassette))
        .filter(i -> i.method().equals(method) && i.path().equals(path) && i.body().equals(body))
        .findFirst();
  }

  private void reply(HttpServerResponse response, Interaction interaction, boolean includeUsage) {
    response.setStatusCode(interaction.status());
    String contentType = interaction.headers().getOrDefault("content-type", "application/json");
    response.putHeader("content-type", contentType);
    if (!contentType.contains("event-stream")) {
      response.end(interaction.responseBody());
      return;
    }
    String body = interaction.responseBody();
    if (includeUsage && !body.contains("\"usage\":{")) {
      body = body.replace("data: [DONE]", USAGE_CHUNK + "data: [DONE]");
    }
    response.setChunked(true);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (behaviour == Behaviour.HOLD_LAST_PIECE) {
      int last = Math.max(0, bytes.length - PIECE);
      writePieces(response, Arrays.copyOfRange(bytes, 0, last), false);
      Context context = vertx.getOrCreateContext();
      byte[] rest = Arrays.copyOfRange(bytes, last, bytes.length);
      release.thenRun(() -> context.runOnContext(v -> writePieces(response, rest, true)));
    } else {
      writePieces(response, bytes, true);
    }
  }

  /** Lets a {@link Behaviour#HOLD_LAST_PIECE} stream finish. */
  void releaseHeldPiece() {
    release.complete(null);
  }

  private static void writePieces(HttpServerResponse response, byte[] bytes, boolean end) {
    for (int from = 0; from < bytes.length; from += PIECE) {
      int to = Math.min(bytes.length, from + PIECE);
      response.write(Buffer.buffer(Arrays.copyOfRange(bytes, from, to)));
    }
    if (end) {
      response.end();
    }
  }
}
