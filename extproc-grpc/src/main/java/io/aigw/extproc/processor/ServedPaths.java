package io.aigw.extproc.processor;

import io.aigw.core.filterconfig.ApiFamily;
import io.aigw.core.filterconfig.ApiPaths;
import io.aigw.extproc.translate.Endpoint;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The request paths one ExtProc answers, from where its configs serve the APIs ({@link ApiPaths}):
 * each endpoint's, and the model lists of OpenAI's and Anthropic's APIs. Built once per config,
 * read per request with one map lookup.
 */
public final class ServedPaths {

  /** What a request path asks for. */
  public sealed interface Served permits Api, Models {}

  /** One of the APIs the backends serve. */
  public record Api(Endpoint endpoint) implements Served {}

  /** The model list, in the shape of {@code family}'s API; the ExtProc answers it. */
  public record Models(ApiFamily family) implements Served {}

  private static final String MODELS_PATH = "/v1/models";

  public static final ServedPaths DEFAULT = of(ApiPaths.DEFAULT);

  private final ApiPaths apiPaths;
  private final Map<String, Served> byPath;

  private ServedPaths(ApiPaths apiPaths, Map<String, Served> byPath) {
    this.apiPaths = apiPaths;
    this.byPath = byPath;
  }

  /**
   * The paths {@code paths} serve.
   *
   * @throws IllegalArgumentException when two APIs would be served at one path (two families given
   *     one prefix, whose model lists then collide)
   */
  public static ServedPaths of(ApiPaths paths) {
    Map<String, Served> byPath = new HashMap<>();
    for (Endpoint endpoint : Endpoint.values()) {
      put(byPath, paths.pathOf(endpoint.family(), endpoint.apiPath()), new Api(endpoint));
    }
    put(byPath, paths.pathOf(ApiFamily.OPENAI, MODELS_PATH), new Models(ApiFamily.OPENAI));
    put(byPath, paths.pathOf(ApiFamily.ANTHROPIC, MODELS_PATH), new Models(ApiFamily.ANTHROPIC));
    return new ServedPaths(paths, Map.copyOf(byPath));
  }

  private static void put(Map<String, Served> byPath, String path, Served served) {
    Served before = byPath.putIfAbsent(path, served);
    if (before != null) {
      throw new IllegalArgumentException(
          "endpoint prefixes serve both "
              + name(before)
              + " and "
              + name(served)
              + " at "
              + path
              + "; give the API families different prefixes");
    }
  }

  private static String name(Served served) {
    return served instanceof Api api
        ? api.endpoint().family().key() + " " + api.endpoint().apiPath()
        : ((Models) served).family().key() + " " + MODELS_PATH;
  }

  public ApiPaths apiPaths() {
    return apiPaths;
  }

  /** What {@code path} asks for; the query string is ignored. */
  public Optional<Served> find(String path) {
    return Optional.ofNullable(byPath.get(withoutQuery(path)));
  }

  /** A request path without its query string, as messages name it. */
  public static String withoutQuery(String path) {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  /**
   * The API whose clients read the errors of {@code path}: the family of the endpoint it serves,
   * else the family under whose prefix it is (the longest, by whole segments), else OpenAI's.
   */
  public ApiFamily errorShapeOf(String path) {
    Optional<Served> served = find(path);
    if (served.isPresent()) {
      return served.get() instanceof Api api
          ? api.endpoint().family()
          : ((Models) served.get()).family();
    }
    String bare = withoutQuery(path);
    ApiFamily shape = ApiFamily.OPENAI;
    int longest = -1;
    for (ApiFamily family : ApiFamily.values()) {
      String base = apiPaths.pathOf(family, "/");
      boolean under = base.equals("/") || bare.equals(base) || bare.startsWith(base + "/");
      if (under && base.length() > longest) {
        shape = family;
        longest = base.length();
      }
    }
    return shape;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ServedPaths served && served.apiPaths.equals(apiPaths);
  }

  @Override
  public int hashCode() {
    return apiPaths.hashCode();
  }
}
