package io.aigw.core.model.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * An {@code apps/v1} Deployment, with the fields aigw sets. {@code replicas} is left out so a
 * HorizontalPodAutoscaler or an operator can own it.
 */
public record Deployment(String apiVersion, String kind, GeneratedMetadata metadata, Spec spec) {

  public static final String API_VERSION = "apps/v1";
  public static final String KIND = "Deployment";

  public static Deployment of(GeneratedMetadata metadata, Spec spec) {
    return new Deployment(API_VERSION, KIND, metadata, spec);
  }

  /** The pods to run. */
  public record Spec(Selector selector, PodTemplate template) {}

  /** The labels that pick the Deployment's pods. */
  public record Selector(Map<String, String> matchLabels) {
    public Selector {
      matchLabels = Map.copyOf(matchLabels);
    }
  }

  /** The pod to stamp out. */
  public record PodTemplate(PodMetadata metadata, PodSpec spec) {}

  /** Pod labels and annotations. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record PodMetadata(Map<String, String> labels, Map<String, String> annotations) {
    public PodMetadata {
      labels = Map.copyOf(labels);
      annotations = Map.copyOf(annotations);
    }
  }

  /**
   * Containers and their volumes. {@code enableServiceLinks} false keeps Kubernetes from adding a
   * {@code <SERVICE>_PORT} variable per Service of the namespace: a Service named {@code
   * aigw-admin} would otherwise set {@code AIGW_ADMIN_PORT=tcp://…} in the pod, which aigw reads as
   * a setting and refuses. {@code serviceAccountName} is left out when null: the namespace's {@code
   * default} account. {@code automountServiceAccountToken} false when the pod needs no API token
   * (left out when null: a ServiceAccount chosen for its cloud role may need its token). {@code
   * terminationGracePeriodSeconds} is how long the kubelet waits after its stop signal before it
   * kills the container.
   */
  public record PodSpec(
      List<Container> containers,
      List<Volume> volumes,
      boolean enableServiceLinks,
      @JsonInclude(JsonInclude.Include.NON_NULL) String serviceAccountName,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean automountServiceAccountToken,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LocalObjectReference> imagePullSecrets,
      PodSecurityContext securityContext,
      long terminationGracePeriodSeconds) {
    public PodSpec {
      containers = List.copyOf(containers);
      volumes = List.copyOf(volumes);
      imagePullSecrets = List.copyOf(imagePullSecrets);
    }
  }

  /** A Secret of the pod's namespace, by name. */
  public record LocalObjectReference(String name) {}

  /**
   * A non-root user and the runtime's default seccomp profile: what Pod Security's {@code
   * restricted} level asks for, so the ExtProc runs in a namespace that enforces it. No user id:
   * the image's own (65532) stands, and a platform that assigns ids per namespace (OpenShift)
   * refuses any other.
   */
  public record PodSecurityContext(boolean runAsNonRoot, SeccompProfile seccompProfile) {

    public static final PodSecurityContext RESTRICTED =
        new PodSecurityContext(true, new SeccompProfile("RuntimeDefault"));
  }

  /** A seccomp profile by type. */
  public record SeccompProfile(String type) {}

  /** A container's security context: aigw's own, or one a GatewayConfig gives. */
  public sealed interface SecurityContext permits ContainerSecurityContext, GivenSecurityContext {}

  /** No privilege escalation, no capabilities, a read-only root filesystem. */
  public record ContainerSecurityContext(
      boolean allowPrivilegeEscalation,
      boolean readOnlyRootFilesystem,
      boolean runAsNonRoot,
      Capabilities capabilities)
      implements SecurityContext {

    public static final ContainerSecurityContext RESTRICTED =
        new ContainerSecurityContext(false, true, true, new Capabilities(List.of("ALL")));
  }

  /**
   * A security context as a GatewayConfig gives it, passed on as written: its content is
   * Kubernetes' own, which the API server checks when the Deployment is applied.
   */
  public record GivenSecurityContext(@JsonValue JsonNode tree) implements SecurityContext {
    public GivenSecurityContext {
      tree = tree.deepCopy();
    }
  }

  /** Capabilities dropped from the container. */
  public record Capabilities(List<String> drop) {
    public Capabilities {
      drop = List.copyOf(drop);
    }
  }

  /** One container. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Container(
      String name,
      String image,
      String imagePullPolicy,
      List<String> args,
      List<EnvVar> env,
      List<ContainerPort> ports,
      List<VolumeMount> volumeMounts,
      Probe readinessProbe,
      Probe livenessProbe,
      Resources resources,
      SecurityContext securityContext) {
    public Container {
      args = List.copyOf(args);
      env = List.copyOf(env);
      ports = List.copyOf(ports);
      volumeMounts = List.copyOf(volumeMounts);
    }
  }

  /**
   * A container's requests and limits by resource name; null on a container that sets none. An
   * empty map is left out, as the API server leaves it out.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Resources(Map<String, String> requests, Map<String, String> limits) {
    public Resources {
      requests = Map.copyOf(requests);
      limits = Map.copyOf(limits);
    }
  }

  /**
   * An environment variable: a literal value, or a source as Kubernetes spells it ({@code
   * secretKeyRef}, {@code configMapKeyRef}, {@code fieldRef}, {@code resourceFieldRef}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EnvVar(String name, String value, JsonNode valueFrom) {

    public EnvVar {
      // a tree is mutable: the record keeps its own
      valueFrom = valueFrom == null ? null : valueFrom.deepCopy();
    }

    /** A literal value. */
    public EnvVar(String name, String value) {
      this(name, value, null);
    }

    /**
     * The value of {@code key} in Secret {@code secret}, which the kubelet reads for the pod; a
     * Secret or key that is missing leaves the variable unset rather than the pod unstarted.
     */
    public static EnvVar fromSecret(String name, String secret, String key) {
      ObjectNode source = JsonNodeFactory.instance.objectNode();
      source.putObject("secretKeyRef").put("name", secret).put("key", key).put("optional", true);
      return new EnvVar(name, null, source);
    }
  }

  /** A named container port. */
  public record ContainerPort(String name, int containerPort, String protocol) {}

  /**
   * An HTTP probe. Every field the API server would default is spelled out, so the live object
   * reads back exactly as desired.
   */
  public record Probe(
      HttpGet httpGet,
      int periodSeconds,
      int timeoutSeconds,
      int successThreshold,
      int failureThreshold) {

    /** A probe of {@code path} on the named port, every 10 s, failing after three misses. */
    public static Probe httpGet(String path, String portName) {
      return new Probe(new HttpGet(path, portName, "HTTP"), 10, 1, 1, 3);
    }
  }

  /** The request a probe sends. */
  public record HttpGet(String path, String port, String scheme) {}

  /**
   * Where a volume appears in the container. {@code readOnly} is left out when false, as the API
   * server leaves it out: written, a live mount would never read back as desired.
   */
  public record VolumeMount(
      String name,
      String mountPath,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean readOnly) {}

  /** A ConfigMap, Secret or emptyDir volume (exactly one source set). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Volume(
      String name, ConfigMapSource configMap, SecretSource secret, EmptyDirSource emptyDir) {

    public static Volume ofConfigMap(String name, String configMapName) {
      return new Volume(name, new ConfigMapSource(configMapName), null, null);
    }

    /**
     * An optional Secret volume: a missing Secret (a typo, or a rotated one not written yet) leaves
     * the file absent, so only its backend's requests fail, where a required one would keep the
     * whole pod from starting and stall every rollout of the route.
     */
    public static Volume ofSecret(String name, String secretName) {
      return new Volume(name, null, new SecretSource(secretName, true), null);
    }

    /** Scratch space of at most {@code sizeLimit}, gone with the pod. */
    public static Volume ofEmptyDir(String name, String sizeLimit) {
      return new Volume(name, null, null, new EmptyDirSource(sizeLimit));
    }
  }

  /** An emptyDir's size limit, a quantity such as {@code 64Mi}. */
  public record EmptyDirSource(String sizeLimit) {}

  /** The ConfigMap a volume shows. */
  public record ConfigMapSource(String name) {}

  /** The Secret a volume shows, and whether the pod may start without it. */
  public record SecretSource(String secretName, boolean optional) {}
}
