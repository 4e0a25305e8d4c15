package io.aigw.admin.server;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard's few files, read from the classpath once at start and served from memory. Vert.x's
 * static handler resolves a path in the working directory first, and on the classpath by unpacking
 * the jar into a cache directory: the first request unpacked all of aigw's 96 MB jar (25,000 files)
 * into {@code /tmp}, left there after a crash, and every unknown path, which needs no token, cost
 * half a second of CPU. Here a path is one map lookup, and the working directory plays no part.
 *
 * <p>Each answer carries a strong ETag and {@code Cache-Control: no-cache}: a browser asks again
 * each time and gets 304 while the file is the same, so a new release is never hidden by a cache.
 */
final class DashboardAssets implements Handler<RoutingContext> {

  /** Where the files are, on the classpath. */
  static final String ROOT = "io/aigw/admin/webroot/";

  /** Every file of the dashboard; a test checks that it is every file under {@link #ROOT}. */
  static final List<String> FILES = List.of("index.html", "app.js", "app.css", "favicon.svg");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  private record Asset(Buffer body, String type, String etag) {}

  private final Map<String, Asset> assets;

  private DashboardAssets(Map<String, Asset> assets) {
    this.assets = assets;
  }

  /** Reads every file; a file missing from the jar is a broken build, and fails the start. */
  static DashboardAssets load() {
    Map<String, Asset> assets = new TreeMap<>();
    for (String name : FILES) {
      byte[] bytes = read(ROOT + name);
      String extension = name.substring(name.lastIndexOf('.') + 1);
      assets.put("/" + name, new Asset(Buffer.buffer(bytes), TYPES.get(extension), etagOf(bytes)));
    }
    assets.put("/", assets.get("/index.html"));
    return new DashboardAssets(Map.copyOf(assets));
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    Asset asset = assets.get(ctx.normalizedPath());
    if (asset == null || !(method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD))) {
      ctx.next();
      return;
    }
    var response =
        ctx.response()
            .putHeader("Content-Type", asset.type())
            .putHeader("ETag", asset.etag())
            .putHeader("Cache-Control", "no-cache");
    if (asset.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      response.setStatusCode(304).end();
    } else if (method.equals(HttpMethod.HEAD)) {
      response.putHeader("Content-Length", Integer.toString(asset.body().length())).end();
    } else {
      response.end(asset.body());
    }
  }

  private static byte[] read(String resource) {
    try (InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the dashboard is not packaged: " + resource + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String etagOf(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
