package io.aigw.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An in-memory API server behind {@link ObjectApi}, with server-side apply (which fabric8's mock
 * lacks) or, with {@code ssa} off, answering apply as that mock does (404 absent, 415 present).
 * Faults are injected per call; every call is recorded. Answers arrive on another thread, as real
 * ones do.
 */
public final class FakeApiServer implements ObjectApi, AutoCloseable {

  /** One call: the verb ({@code GET LIST APPLY CREATE REPLACE DELETE STATUS}) and its target. */
  record Call(String verb, ObjectKey key) {
    boolean isWrite() {
      return !verb.equals("GET") && !verb.equals("LIST");
    }

    @Override
    public String toString() {
      return verb + " " + key;
    }
  }

  private final Map<ObjectKey, ObjectNode> objects = new TreeMap<>();
  private final Map<ObjectKey, ObjectNode> lastApplied = new TreeMap<>();
  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  private final ExecutorService answers = Executors.newFixedThreadPool(4);
  private volatile Function<Call, Optional<ApiResponse>> faults = call -> Optional.empty();
  private volatile boolean ssa = true;
  private long resourceVersion;
  private long uids;

  void serverSideApply(boolean supported) {
    this.ssa = supported;
  }

  /** Consulted before each call; a response given is returned instead of doing the call. */
  void faults(Function<Call, Optional<ApiResponse>> value) {
    this.faults = value;
  }

  List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  List<Call> writes() {
    return calls().stream().filter(Call::isWrite).toList();
  }

  void clearCalls() {
    calls.clear();
  }

  synchronized Optional<ObjectNode> object(ObjectKey key) {
    return Optional.ofNullable(objects.get(key)).map(ObjectNode::deepCopy);
  }

  synchronized List<ObjectKey> keys() {
    return List.copyOf(objects.keySet());
  }

  /** A write by someone else: the object replaced, labels and all. */
  public synchronized void put(ObjectKey key, ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    ObjectNode metadata = copy.withObjectProperty("metadata");
    metadata.put("resourceVersion", Long.toString(++resourceVersion));
    if (!metadata.has("uid")) {
      metadata.put("uid", "uid-" + ++uids);
    }
    objects.put(key, copy);
  }

  synchronized void remove(ObjectKey key) {
    objects.remove(key);
  }

  @Override
  public CompletionStage<ApiResponse> get(ResourceType type, String namespace, String name) {
    ObjectKey key = type.key(namespace, name);
    return answer(new Call("GET", key), () -> found(key));
  }

  @Override
  public CompletionStage<ApiResponse> list(
      ResourceType type, String namespace, String labelSelector, String continueToken) {
    return answer(
        new Call("LIST", type.key(namespace, "")), () -> list(type, namespace, labelSelector));
  }

  @Override
  public CompletionStage<ApiResponse> apply(
      ResourceType type, String namespace, String name, String json, boolean force) {
    ObjectKey key = type.key(namespace, name);
    return answer(new Call("APPLY", key), () -> apply(key, (ObjectNode) CanonicalJson.read(json)));
  }

  @Override
  public CompletionStage<ApiResponse> create(ResourceType type, String namespace, String json) {
    ObjectNode object = (ObjectNode) CanonicalJson.read(json);
    ObjectKey key = type.key(namespace, object.path("metadata").path("name").asText());
    return answer(new Call("CREATE", key), () -> create(key, object));
  }

  @Override
  public CompletionStage<ApiResponse> replace(
      ResourceType type, String namespace, String name, String json) {
    ObjectKey key = type.key(namespace, name);
    return answer(
        new Call("REPLACE", key), () -> replace(key, (ObjectNode) CanonicalJson.read(json)));
  }

  @Override
  public CompletionStage<ApiResponse> delete(ResourceType type, String namespace, String name) {
    ObjectKey key = type.key(namespace, name);
    return answer(new Call("DELETE", key), () -> delete(key));
  }

  @Override
  public CompletionStage<ApiResponse> patchStatus(
      ResourceType type, String namespace, String name, String json) {
    ObjectKey key = type.key(namespace, name);
    return answer(new Call("STATUS", key), () -> patchStatus(key, CanonicalJson.read(json)));
  }

  @Override
  public void close() {
    answers.shutdownNow();
  }

  private CompletionStage<ApiResponse> answer(
      Call call, java.util.function.Supplier<ApiResponse> work) {
    calls.add(call);
    return CompletableFuture.supplyAsync(
        () ->
            faults
                .apply(call)
                .orElseGet(
                    () -> {
                      synchronized (this) {
                        return work.get();
                      }
                    }),
        answers);
  }

  private ApiResponse found(ObjectKey key) {
    ObjectNode object = objects.get(key);
    return object == null ? notFound(key) : new ApiResponse(200, CanonicalJson.write(object));
  }

  private ApiResponse list(ResourceType type, String namespace, String selector) {
    ArrayNode items = JsonNodeFactory.instance.arrayNode();
    objects.forEach(
        (key, object) -> {
          if (type.matches(key)
              && (namespace.isEmpty() || namespace.equals(key.namespace()))
              && selected(object, selector)) {
            items.add(object);
          }
        });
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("items", items);
    body.putObject("metadata").put("resourceVersion", Long.toString(resourceVersion));
    return new ApiResponse(200, CanonicalJson.write(body));
  }

  private static boolean selected(JsonNode object, String selector) {
    if (selector.isEmpty()) {
      return true;
    }
    String[] pair = selector.split("=", 2);
    return pair[1].equals(object.path("metadata").path("labels").path(pair[0]).asText(null));
  }

  private ApiResponse apply(ObjectKey key, ObjectNode applied) {
    ObjectNode live = objects.get(key);
    if (!ssa) {
      return live == null
          ? notFound(key)
          : new ApiResponse(415, "{\"message\":\"Unsupported Media Type\"}");
    }
    if (live == null) {
      lastApplied.put(key, applied.deepCopy());
      return stored(key, fresh(applied), 201);
    }
    ObjectNode merged = live.deepCopy();
    removeDropped(
        merged, lastApplied.getOrDefault(key, JsonNodeFactory.instance.objectNode()), applied);
    overlay(merged, applied);
    lastApplied.put(key, applied.deepCopy());
    if (merged.equals(live)) {
      return new ApiResponse(200, CanonicalJson.write(live));
    }
    return stored(key, merged, 200);
  }

  private ApiResponse create(ObjectKey key, ObjectNode object) {
    if (objects.containsKey(key)) {
      return new ApiResponse(
          409, "{\"message\":\"" + key + " already exists\",\"reason\":\"AlreadyExists\"}");
    }
    return stored(key, fresh(object), 201);
  }

  private ApiResponse replace(ObjectKey key, ObjectNode object) {
    ObjectNode live = objects.get(key);
    if (live == null) {
      return notFound(key);
    }
    String expected = live.path("metadata").path("resourceVersion").asText();
    if (!expected.equals(object.path("metadata").path("resourceVersion").asText())) {
      return new ApiResponse(409, "{\"message\":\"the object has been modified\"}");
    }
    ObjectNode copy = object.deepCopy();
    copy.set("status", live.get("status"));
    return stored(key, copy, 200);
  }

  private ApiResponse delete(ObjectKey key) {
    if (objects.remove(key) == null) {
      return notFound(key);
    }
    lastApplied.remove(key);
    return new ApiResponse(200, "{\"kind\":\"Status\",\"status\":\"Success\"}");
  }

  private ApiResponse patchStatus(ObjectKey key, JsonNode patch) {
    ObjectNode live = objects.get(key);
    if (live == null) {
      return notFound(key);
    }
    ObjectNode copy = live.deepCopy();
    ObjectNode status = copy.withObjectProperty("status");
    patch.path("status").fields().forEachRemaining(f -> status.set(f.getKey(), f.getValue()));
    return stored(key, copy, 200);
  }

  private ObjectNode fresh(ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    ObjectNode metadata = copy.withObjectProperty("metadata");
    metadata.put("uid", "uid-" + ++uids);
    metadata.put("creationTimestamp", "2025-01-01T00:00:00Z");
    metadata.remove("resourceVersion");
    return copy;
  }

  private ApiResponse stored(ObjectKey key, ObjectNode object, int code) {
    object.withObjectProperty("metadata").put("resourceVersion", Long.toString(++resourceVersion));
    objects.put(key, object);
    return new ApiResponse(code, CanonicalJson.write(object));
  }

  private static ApiResponse notFound(ObjectKey key) {
    return new ApiResponse(404, "{\"message\":\"" + key + " not found\",\"reason\":\"NotFound\"}");
  }

  /** SSA drops what the manager applied before and applies no more. */
  private static void removeDropped(ObjectNode live, JsonNode before, JsonNode now) {
    for (Iterator<Map.Entry<String, JsonNode>> it = before.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode next = now.get(field.getKey());
      if (next == null) {
        live.remove(field.getKey());
      } else if (field.getValue().isObject()
          && next.isObject()
          && live.get(field.getKey()) instanceof ObjectNode nested) {
        removeDropped(nested, field.getValue(), next);
      }
    }
  }

  private static void overlay(ObjectNode into, JsonNode from) {
    from.fields()
        .forEachRemaining(
            field -> {
              if (field.getValue().isObject()
                  && into.get(field.getKey()) instanceof ObjectNode nested) {
                overlay(nested, field.getValue());
              } else {
                into.set(field.getKey(), field.getValue().deepCopy());
              }
            });
  }
}
