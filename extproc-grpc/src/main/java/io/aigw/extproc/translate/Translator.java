package io.aigw.extproc.translate;

import io.aigw.extproc.usage.TokenUsage;
import java.util.List;
import java.util.Optional;

/**
 * Translates one exchange between the client's API (OpenAI) and a backend's schema. One instance
 * per request: streaming translators keep parser state between chunks. Implementations are pure (no
 * clock, no I/O) and must not throw on any provider output: what they cannot read they pass
 * through.
 *
 * <p>Providers plug in through {@link TranslatorFactory}: a Bedrock, Azure, Vertex or Anthropic
 * translator implements this interface for the endpoints it supports.
 */
public interface Translator {

  /**
   * The upstream request for {@code request} under {@code plan}.
   *
   * @throws InvalidRequestException when the request cannot be expressed in the backend's schema
   */
  UpstreamRequest request(ParsedRequest request, RequestPlan plan) throws InvalidRequestException;

  /**
   * Header changes for the response the client will see (e.g. a content type), given the upstream's
   * {@code :status} and headers (lower-case names).
   */
  default List<UpstreamRequest.Header> responseHeaders(
      int status, java.util.Map<String, String> headers) {
    return List.of();
  }

  /**
   * One piece of a 2xx response body: the whole body when buffered, else the next chunk of the
   * stream. Updates {@link #usage()} and {@link #responseModel()} as a side effect.
   */
  ResponseChunk responseBody(byte[] chunk, boolean endOfStream);

  /** A piece of a non-2xx response body; by default passed through unchanged. */
  default ResponseChunk errorBody(int status, byte[] chunk, boolean endOfStream) {
    return ResponseChunk.unchanged();
  }

  /** The usage read so far (cumulative). */
  TokenUsage usage();

  /** The model the provider says answered, once known. */
  Optional<String> responseModel();
}
