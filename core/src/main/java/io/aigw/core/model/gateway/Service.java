package io.aigw.core.model.gateway;

import java.util.List;
import java.util.Map;

/** A {@code v1} ClusterIP Service in front of pods selected by labels. */
public record Service(String apiVersion, String kind, GeneratedMetadata metadata, Spec spec) {

  public static final String API_VERSION = "v1";
  public static final String KIND = "Service";

  public static Service of(GeneratedMetadata metadata, Spec spec) {
    return new Service(API_VERSION, KIND, metadata, spec);
  }

  /** The pods served and the ports. */
  public record Spec(Map<String, String> selector, List<Port> ports) {
    public Spec {
      selector = Map.copyOf(selector);
      ports = List.copyOf(ports);
    }
  }

  /** One port; {@code appProtocol} tells Envoy Gateway to speak HTTP/2 (gRPC). */
  public record Port(String name, String protocol, int port, int targetPort, String appProtocol) {}
}
