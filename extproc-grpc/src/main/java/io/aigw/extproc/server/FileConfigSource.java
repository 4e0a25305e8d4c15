package io.aigw.extproc.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.FilterConfigCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the ExtProc from a filter-config file ({@code aigw extproc --config FILE}): one route (a
 * mapping), a YAML list of routes, or several YAML documents. The file is read at start and then
 * polled (default every second); when its content changes, and two polls in a row read the same new
 * content, it is parsed and handed to the sink. A file that does not parse, or that the sink
 * refuses, leaves the last good config in service and is logged once with the reason.
 *
 * <p>Waiting for two equal reads is what keeps a file rewritten in place from being applied half
 * written: {@code Files.write}, editors and {@code cp} truncate the file before they fill it, and a
 * poll between the two would otherwise read an empty file as "no routes" and drop every route until
 * the next poll. A mounted ConfigMap, swapped atomically by the kubelet, only waits one period
 * more.
 */
public final class FileConfigSource implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FileConfigSource.class);

  /** The default poll period. */
  public static final long DEFAULT_PERIOD_MILLIS = 1000;

  private final Vertx vertx;
  private final Path file;
  private final Function<List<FilterConfig>, List<String>> sink;
  private long timer = -1;
  // empty only before the first read: that one is taken at once, later ones need a second read
  private String lastSeen = "";
  private String candidate = "";
  private volatile String lastApplied = "";
  private volatile List<String> lastProblems = List.of();
  private boolean polling;

  private FileConfigSource(
      Vertx vertx, Path file, Function<List<FilterConfig>, List<String>> sink) {
    this.vertx = vertx;
    this.file = file;
    this.sink = sink;
  }

  /**
   * Starts watching {@code file}. The future completes after the first read, whether or not it gave
   * a usable config (a missing file is retried every period).
   *
   * @param sink applies configs and returns the problems that made it refuse them (none = applied)
   */
  public static Future<FileConfigSource> watch(
      Vertx vertx, Path file, Function<List<FilterConfig>, List<String>> sink) {
    return watch(vertx, file, DEFAULT_PERIOD_MILLIS, sink);
  }

  /** {@link #watch(Vertx, Path, Function)} with a chosen poll period. */
  public static Future<FileConfigSource> watch(
      Vertx vertx, Path file, long periodMillis, Function<List<FilterConfig>, List<String>> sink) {
    FileConfigSource source = new FileConfigSource(vertx, file, sink);
    return source
        .poll()
        .map(
            v -> {
              source.timer = vertx.setPeriodic(periodMillis, id -> source.poll());
              return source;
            });
  }

  /** Why the file's current content was refused (or could not be read); empty once applied. */
  public List<String> lastProblems() {
    return lastProblems;
  }

  /** The digest of the content last applied, empty before the first. */
  public String appliedDigest() {
    return lastApplied;
  }

  /** One read of the file; package-private so that tests choose when each read happens. */
  Future<Void> poll() {
    if (polling) {
      return Future.succeededFuture();
    }
    polling = true;
    return vertx
        .executeBlocking(() -> Files.readString(file, StandardCharsets.UTF_8))
        .map(
            text -> {
              consider(text);
              return (Void) null;
            })
        .recover(
            error -> {
              String marker = "unreadable:" + error.getClass().getSimpleName();
              if (!marker.equals(lastSeen)) {
                lastSeen = marker;
                lastProblems = List.of("unreadable: " + reasonOf(error));
                log.atWarn()
                    .addKeyValue("file", file)
                    .addKeyValue("reason", reasonOf(error))
                    .log("filter config unreadable; " + keeping());
              }
              return Future.succeededFuture();
            })
        .onComplete(ar -> polling = false);
  }

  private void consider(String text) {
    String digest = digest(text);
    if (digest.equals(lastSeen)) {
      candidate = "";
      return;
    }
    if (!lastSeen.isEmpty() && !digest.equals(candidate)) {
      candidate = digest;
      return;
    }
    candidate = "";
    lastSeen = digest;
    List<String> problems;
    try {
      problems = sink.apply(parse(text));
    } catch (IllegalArgumentException e) {
      problems = List.of(e.getMessage());
    }
    lastProblems = List.copyOf(problems);
    if (problems.isEmpty()) {
      lastApplied = digest;
      log.atInfo()
          .addKeyValue("file", file)
          .addKeyValue("digest", digest)
          .log("filter config loaded");
    } else {
      log.atWarn()
          .addKeyValue("file", file)
          .addKeyValue("problems", String.join("; ", problems))
          .log("filter config rejected; " + keeping());
    }
  }

  /** What is served meanwhile, said as it is: at start there is no good config to keep. */
  private String keeping() {
    return lastApplied.isEmpty()
        ? "serving no config until a good one is read"
        : "keeping the last good config";
  }

  /** Why a file could not be read, in words: a missing file's exception says only its path. */
  private static String reasonOf(Throwable error) {
    if (error instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (error instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (error instanceof java.nio.charset.CharacterCodingException) {
      return "not UTF-8 text";
    }
    return String.valueOf(error.getMessage());
  }

  /**
   * The configs in a file's text.
   *
   * @throws IllegalArgumentException when the text is not YAML, a document is not a config, or
   *     there is none
   */
  public static List<FilterConfig> parse(String text) {
    List<YamlDocuments.Document> documents;
    try {
      documents = YamlDocuments.parse(text);
    } catch (YamlDocuments.YamlSyntaxException e) {
      throw new IllegalArgumentException("line " + e.line() + ": " + e.getMessage(), e);
    }
    List<FilterConfig> configs = new ArrayList<>();
    for (YamlDocuments.Document document : documents) {
      JsonNode node = document.node();
      if (node.isArray()) {
        node.forEach(item -> configs.add(FilterConfigCodec.fromTree(item)));
      } else {
        configs.add(FilterConfigCodec.fromTree(node));
      }
    }
    // an ExtProc serves at least its route; a file left empty (a writer that crashed, a full disk)
    // would otherwise take every route down while health said SERVING
    if (configs.isEmpty()) {
      throw new IllegalArgumentException("the file holds no filter config");
    }
    return configs;
  }

  private static String digest(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Reads a file's configs once, for callers that do not watch (e.g. validation). */
  public static List<FilterConfig> read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }
}
