package io.aigw.extproc.translate.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.ParsedRequest;
import io.aigw.extproc.translate.RequestPlan;
import io.aigw.extproc.translate.UpstreamRequest;
import java.util.List;
import java.util.Optional;

/**
 * A request to Anthropic's own API, passed through: the client's bytes unless a model override
 * rewrites {@code model}, under the backend's prefix ({@code v1} by default).
 */
final class NativeAnthropic {

  private NativeAnthropic() {}

  /** The request for {@code suffix} ({@code messages}, {@code messages/count_tokens}). */
  static UpstreamRequest request(ParsedRequest request, RequestPlan plan, String suffix)
      throws InvalidRequestException {
    Optional<ObjectNode> body = Optional.empty();
    if (plan.modelOverride().isPresent()) {
      ObjectNode tree = ChatRequests.tree(request);
      tree.put("model", plan.effectiveModel(request));
      body = Optional.of(tree);
    }
    String configured = plan.schema().prefix();
    String prefix = configured == null ? "v1" : configured.replaceAll("^/+|/+$", "");
    return new UpstreamRequest(
        (prefix.isEmpty() ? "" : "/" + prefix) + "/" + suffix, body, List.of());
  }
}
