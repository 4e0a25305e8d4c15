package io.aigw.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Lists every live object of a kind in a set of namespaces (all when the set is empty), a page at a
 * time, handing each page's items on before asking for the next, so a large cluster is never held
 * in memory at once.
 */
final class LiveLister {

  private final ObjectApi api;
  private final Executor parsing;

  /** {@code parsing} reads the pages: never an event loop, a page can be tens of megabytes. */
  LiveLister(ObjectApi api, Executor parsing) {
    this.api = api;
    this.parsing = parsing;
  }

  /** Completes when every page was handed to {@code page}; fails on the first non-OK answer. */
  CompletionStage<Void> listAll(
      ResourceType type, List<String> namespaces, String selector, Consumer<List<JsonNode>> page) {
    List<String> scopes = namespaces.isEmpty() ? List.of("") : namespaces;
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (String namespace : scopes) {
      chain = chain.thenCompose(v -> pages(type, namespace, selector, "", page));
    }
    return chain;
  }

  private CompletionStage<Void> pages(
      ResourceType type,
      String namespace,
      String selector,
      String continueToken,
      Consumer<List<JsonNode>> page) {
    return api.list(type, namespace, selector, continueToken)
        .thenComposeAsync(
            response -> {
              if (!response.ok()) {
                throw new CompletionException(
                    new IllegalStateException("list " + type + ": " + response.reason()));
              }
              JsonNode body = response.json();
              List<JsonNode> items = new ArrayList<>();
              body.path("items").forEach(items::add);
              page.accept(items);
              String next = body.path("metadata").path("continue").asText("");
              return next.isEmpty()
                  ? CompletableFuture.<Void>completedFuture(null)
                  : pages(type, namespace, selector, next, page);
            },
            parsing);
  }
}
