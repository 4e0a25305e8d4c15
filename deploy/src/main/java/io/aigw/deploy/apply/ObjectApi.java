package io.aigw.deploy.apply;

import java.util.concurrent.CompletionStage;

/**
 * The few API server calls the applier makes, on JSON text, without a typed model. Every call is
 * asynchronous; a transport failure (connection refused, timeout) fails the stage, every HTTP
 * answer (errors included) completes it. Implemented over fabric8's HTTP client in production and
 * by an in-memory fake in tests (which is how the server-side apply path is tested: fabric8's mock
 * server does not implement it).
 */
public interface ObjectApi {

  /** The field manager of every write. */
  String FIELD_MANAGER = "aigw";

  CompletionStage<ApiResponse> get(ResourceType type, String namespace, String name);

  /**
   * One page of a list, in one namespace or (namespace empty) all; {@code labelSelector} and {@code
   * continueToken} may be empty.
   */
  CompletionStage<ApiResponse> list(
      ResourceType type, String namespace, String labelSelector, String continueToken);

  /** Server-side apply ({@code application/apply-patch+yaml}), field manager {@code aigw}. */
  CompletionStage<ApiResponse> apply(
      ResourceType type, String namespace, String name, String json, boolean force);

  CompletionStage<ApiResponse> create(ResourceType type, String namespace, String json);

  /** Update; the body carries the resourceVersion it replaces (a stale one answers 409). */
  CompletionStage<ApiResponse> replace(
      ResourceType type, String namespace, String name, String json);

  CompletionStage<ApiResponse> delete(ResourceType type, String namespace, String name);

  /** JSON merge patch of the {@code status} subresource. */
  CompletionStage<ApiResponse> patchStatus(
      ResourceType type, String namespace, String name, String json);
}
