package io.aigw.core.model.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.aigw.core.model.LocalPolicyTargetReference;
import java.util.List;

/**
 * A {@code gateway.envoyproxy.io/v1alpha1} EnvoyExtensionPolicy that puts an external processor in
 * front of the routes it targets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvoyExtensionPolicy(
    String apiVersion, String kind, GeneratedMetadata metadata, Spec spec) {

  public static final String API_VERSION = "gateway.envoyproxy.io/v1alpha1";
  public static final String KIND = "EnvoyExtensionPolicy";

  public static EnvoyExtensionPolicy of(GeneratedMetadata metadata, Spec spec) {
    return new EnvoyExtensionPolicy(API_VERSION, KIND, metadata, spec);
  }

  /** The routes (or Gateways) the policy applies to and its external processors. */
  public record Spec(List<LocalPolicyTargetReference> targetRefs, List<ExtProc> extProc) {
    public Spec {
      targetRefs = List.copyOf(targetRefs);
      extProc = List.copyOf(extProc);
    }
  }

  /**
   * One ext_proc filter: the gRPC Service it calls, how long it waits for each answer, and what it
   * sends.
   */
  public record ExtProc(
      List<BackendRef> backendRefs,
      String messageTimeout,
      ProcessingMode processingMode,
      ExtProcMetadata metadata) {
    public ExtProc {
      backendRefs = List.copyOf(backendRefs);
    }
  }

  /** A Service port (group and kind are left to the Service defaults). */
  public record BackendRef(String name, String namespace, int port) {}

  /** What the processor sees of the request and the response. */
  public record ProcessingMode(Mode request, Mode response, boolean allowModeOverride) {}

  /** {@code body: Buffered} sends the whole body in one message. */
  public record Mode(String body) {}

  /**
   * The dynamic-metadata namespaces Envoy sends the processor (none unless listed: a credential
   * override read from dynamic metadata needs its namespace here) and those it may write.
   */
  public record ExtProcMetadata(
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> accessibleNamespaces,
      List<String> writableNamespaces) {
    public ExtProcMetadata {
      accessibleNamespaces =
          accessibleNamespaces == null ? List.of() : List.copyOf(accessibleNamespaces);
      writableNamespaces = List.copyOf(writableNamespaces);
    }
  }
}
