package io.aigw.deploy.apply;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@link ObjectApi} over the HTTP client of a fabric8 {@link KubernetesClient}: its authentication,
 * TLS and Vert.x event loops, none of its typed DSL. Every call is asynchronous (nothing blocks a
 * thread), so the applier can keep many writes in flight.
 */
public final class FabricObjectApi implements ObjectApi {

  static final String APPLY_PATCH = "application/apply-patch+yaml";
  static final String MERGE_PATCH = "application/merge-patch+json";
  static final String JSON = "application/json";

  private final HttpClient http;
  private final String server;
  private final Duration timeout;

  public FabricObjectApi(KubernetesClient client, Duration timeout) {
    this.http = client.getHttpClient();
    String url = client.getMasterUrl().toString();
    this.server = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.timeout = timeout;
  }

  @Override
  public CompletionStage<ApiResponse> get(ResourceType type, String namespace, String name) {
    return send(request(type.objectPath(namespace, name)));
  }

  @Override
  public CompletionStage<ApiResponse> list(
      ResourceType type, String namespace, String labelSelector, String continueToken) {
    List<String> query = new ArrayList<>();
    query.add("limit=500");
    if (!labelSelector.isEmpty()) {
      query.add("labelSelector=" + encode(labelSelector));
    }
    if (!continueToken.isEmpty()) {
      query.add("continue=" + encode(continueToken));
    }
    String path = namespace.isEmpty() ? type.clusterPath() : type.collectionPath(namespace);
    return send(request(path + "?" + String.join("&", query)));
  }

  @Override
  public CompletionStage<ApiResponse> apply(
      ResourceType type, String namespace, String name, String json, boolean force) {
    String query = "?fieldManager=" + FIELD_MANAGER + (force ? "&force=true" : "");
    return send(request(type.objectPath(namespace, name) + query).patch(APPLY_PATCH, json));
  }

  @Override
  public CompletionStage<ApiResponse> create(ResourceType type, String namespace, String json) {
    String query = "?fieldManager=" + FIELD_MANAGER;
    return send(request(type.collectionPath(namespace) + query).post(JSON, json));
  }

  @Override
  public CompletionStage<ApiResponse> replace(
      ResourceType type, String namespace, String name, String json) {
    String query = "?fieldManager=" + FIELD_MANAGER;
    return send(request(type.objectPath(namespace, name) + query).put(JSON, json));
  }

  @Override
  public CompletionStage<ApiResponse> delete(ResourceType type, String namespace, String name) {
    return send(
        request(type.objectPath(namespace, name))
            .delete(
                JSON,
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                    + "\"propagationPolicy\":\"Background\"}"));
  }

  @Override
  public CompletionStage<ApiResponse> patchStatus(
      ResourceType type, String namespace, String name, String json) {
    String query = "?fieldManager=" + FIELD_MANAGER;
    return send(
        request(type.objectPath(namespace, name) + "/status" + query).patch(MERGE_PATCH, json));
  }

  private HttpRequest.Builder request(String path) {
    return http.newHttpRequestBuilder()
        .uri(server + path)
        .header("Accept", JSON)
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private CompletionStage<ApiResponse> send(HttpRequest.Builder request) {
    return http.sendAsync(request.build(), String.class).thenApply(FabricObjectApi::response);
  }

  private static ApiResponse response(HttpResponse<String> response) {
    String body = response.body();
    return new ApiResponse(response.code(), body == null ? "" : body);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
