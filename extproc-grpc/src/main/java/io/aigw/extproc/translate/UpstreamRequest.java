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
 */
public record UpstreamRequest(String path, Optional<ObjectNode> body, List<Header> headers) {

  public UpstreamRequest {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(body, "body");
    headers = List.copyOf(headers);
  }

  /** One header to set. */
  public record Header(String name, String value) {}
}
