package io.aigw.extproc.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the request leaves for the backend.
 *
 * @param path the upstream {@code :path}
 * @param body a replacement JSON body, or empty to forward the client's bytes unchanged
 * @param headers extra headers to set (lower-case names), e.g. a content type
 * @param rawBody a replacement body that is not JSON (a multipart form with another model); a
 *     backend's JSON body mutation does not apply to it
 */
public record UpstreamRequest(
    String path, Optional<ObjectNode> body, List<Header> headers, Optional<byte[]> rawBody) {

  public UpstreamRequest {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(rawBody, "rawBody");
    headers = List.copyOf(headers);
  }

  /** A request whose body, when replaced, is JSON. */
  public UpstreamRequest(String path, Optional<ObjectNode> body, List<Header> headers) {
    this(path, body, headers, Optional.empty());
  }

  /** One header to set. */
  public record Header(String name, String value) {}
}
