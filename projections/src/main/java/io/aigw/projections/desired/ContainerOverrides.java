package io.aigw.projections.desired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.model.ContainerSpec;
import io.aigw.core.model.ContainerSpec.ContainerEnvVar;
import io.aigw.core.model.ContainerSpec.ResourceRequirements;
import io.aigw.core.model.GatewayConfig;
import io.aigw.core.model.gateway.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a GatewayConfig's {@code extProc.kubernetes} changes in the ExtProc container of the routes
 * that follow it, as upstream merges it: its image (or its repository, with this release's tag or
 * digest), its variables over the controller's (a name given again is replaced where it stands),
 * its resources and its security context instead of aigw's. A part aigw cannot apply, or that the
 * API server would refuse in the Deployment, is left out and named in {@code problems}, which the
 * GatewayConfig's status reports; the rest applies.
 *
 * @param image the container image, when the GatewayConfig sets one
 * @param env the GatewayConfig's variables that can be written
 * @param resources the container's requests and limits, quantities as the API server stores them
 * @param securityContext the container's security context, as written
 * @param problems what is left out, as {@code <field>: <reason>}
 */
public record ContainerOverrides(
    Optional<String> image,
    List<Deployment.EnvVar> env,
    Optional<Deployment.Resources> resources,
    Optional<Deployment.GivenSecurityContext> securityContext,
    List<String> problems) {

  public static final ContainerOverrides NONE =
      new ContainerOverrides(
          Optional.empty(), List.of(), Optional.empty(), Optional.empty(), List.of());

  private static final String FIELD = "spec.extProc.kubernetes";

  /** Each source a variable may take, with the field Kubernetes requires in it. */
  private static final Map<String, List<String>> SOURCES =
      Map.of(
          "secretKeyRef", List.of("name", "key"),
          "configMapKeyRef", List.of("name", "key"),
          "fieldRef", List.of("fieldPath"),
          "resourceFieldRef", List.of("resource"));

  /** What Kubernetes accepts: names, field paths, resources and divisors of a variable's source. */
  private static final Pattern NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  private static final Pattern FIELD_PATH =
      Pattern.compile(
          "metadata\\.(name|namespace|uid)|spec\\.(nodeName|serviceAccountName)"
              + "|status\\.(hostIPs?|podIPs?)|metadata\\.(labels|annotations)\\['[^']+'\\]");

  private static final Pattern RESOURCE =
      Pattern.compile("(limits|requests)\\.(cpu|memory|ephemeral-storage|hugepages-.+)");

  private static final Set<String> CPU_DIVISORS = Set.of("1m", "1");
  private static final Set<String> DIVISORS =
      Set.of("1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti");

  /** The resources whose request may differ from their limit; the others' must equal it. */
  private static final Set<String> OVERCOMMITTED = Set.of("cpu", "memory", "ephemeral-storage");

  public ContainerOverrides {
    env = List.copyOf(env);
    problems = List.copyOf(problems);
  }

  /** What {@code config} changes; {@code releaseImage} gives the tag for an image repository. */
  public static ContainerOverrides of(GatewayConfig config, String releaseImage) {
    Optional<ContainerSpec> given = config.spec().container();
    if (given.isEmpty()) {
      return NONE;
    }
    ContainerSpec spec = given.get();
    List<String> problems = new ArrayList<>();
    Optional<String> image = Optional.ofNullable(spec.image());
    if (spec.imageRepository() != null && !spec.imageRepository().isEmpty()) {
      image = Optional.of(spec.imageRepository() + tagOf(releaseImage));
    }
    List<Deployment.EnvVar> env = env(spec.env(), problems);
    Optional<Deployment.Resources> resources = resources(spec.resources(), problems);
    JsonNode securityContext = spec.securityContext();
    if (securityContext != null && securityContext.isNull()) {
      securityContext = null;
    }
    if (securityContext != null && !securityContext.isObject()) {
      problems.add(FIELD + ".securityContext: not applied: not an object");
      securityContext = null;
    }
    if (!spec.volumeMounts().isEmpty()) {
      problems.add(
          FIELD
              + ".volumeMounts: not applied: the ExtProc Deployment aigw generates has no volumes"
              + " of the GatewayConfig's to mount");
    }
    return new ContainerOverrides(
        image,
        env,
        resources,
        Optional.ofNullable(securityContext).map(Deployment.GivenSecurityContext::new),
        problems);
  }

  /**
   * {@code base} with this GatewayConfig's variables over it: one with a name {@code base} has
   * replaces it where it stands, the others follow in their order.
   */
  public List<Deployment.EnvVar> envOver(List<Deployment.EnvVar> base) {
    if (env.isEmpty()) {
      return base;
    }
    Map<String, Deployment.EnvVar> merged = new LinkedHashMap<>();
    base.forEach(variable -> merged.put(variable.name(), variable));
    env.forEach(variable -> merged.put(variable.name(), variable));
    return List.copyOf(merged.values());
  }

  /**
   * Whether the container's resources are the GatewayConfig's and set no CPU limit: busy polling
   * then stays off, since the ExtProc would poll with an event loop per CPU of its node.
   */
  public boolean leavesCpuUnlimited() {
    return resources.isPresent() && !resources.get().limits().containsKey("cpu");
  }

  /** The tag or digest of {@code image} with its separator ("" for none). */
  static String tagOf(String image) {
    String last = image.substring(image.lastIndexOf('/') + 1);
    int digest = last.indexOf('@');
    if (digest >= 0) {
      return last.substring(digest);
    }
    int tag = last.indexOf(':');
    return tag >= 0 ? last.substring(tag) : "";
  }

  private static List<Deployment.EnvVar> env(List<ContainerEnvVar> vars, List<String> problems) {
    List<Deployment.EnvVar> env = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      ContainerEnvVar variable = vars.get(i);
      try {
        // the API server stores an empty value as none: written so, it never reads as drift
        String value =
            variable.value() == null || variable.value().isEmpty() ? null : variable.value();
        env.add(new Deployment.EnvVar(checkedName(variable), value, source(variable)));
      } catch (IllegalArgumentException e) {
        problems.add(FIELD + ".env[" + i + "]: not applied: " + e.getMessage());
      }
    }
    return env;
  }

  private static String checkedName(ContainerEnvVar variable) {
    String name = variable.name();
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a variable's name must be letters, digits, '_', '-' and '.', not starting with a digit");
    }
    return name;
  }

  /**
   * The variable's source as the API server stores it (null for none): one of the four kinds, with
   * the fields Kubernetes requires, and a {@code resourceFieldRef}'s divisor as a quantity text.
   */
  private static JsonNode source(ContainerEnvVar variable) {
    JsonNode from = variable.valueFrom();
    if (from == null || from.isNull()) {
      return null;
    }
    if (variable.value() != null && !variable.value().isEmpty()) {
      throw new IllegalArgumentException("value and valueFrom cannot both be set");
    }
    if (!from.isObject() || from.size() != 1 || !SOURCES.containsKey(from.fieldNames().next())) {
      throw new IllegalArgumentException(
          "valueFrom must set exactly one of configMapKeyRef, fieldRef, resourceFieldRef and"
              + " secretKeyRef");
    }
    String kind = from.fieldNames().next();
    JsonNode ref = from.get(kind);
    for (String required : SOURCES.get(kind)) {
      if (!ref.path(required).isTextual() || ref.path(required).textValue().isEmpty()) {
        throw new IllegalArgumentException("valueFrom." + kind + "." + required + " must be set");
      }
    }
    if (kind.equals("fieldRef") && !FIELD_PATH.matcher(ref.path("fieldPath").asText()).matches()) {
      throw new IllegalArgumentException(
          "valueFrom.fieldRef.fieldPath " + ref.path("fieldPath").asText() + " is not supported");
    }
    if (!kind.equals("resourceFieldRef")) {
      return from;
    }
    String resource = ref.path("resource").asText();
    if (!RESOURCE.matcher(resource).matches()) {
      throw new IllegalArgumentException(
          "valueFrom.resourceFieldRef.resource " + resource + " is not supported");
    }
    JsonNode divisor = ref.get("divisor");
    if (divisor == null || divisor.isNull()) {
      return from;
    }
    String canonical = Quantities.canonical(resource, divisor.asText());
    if (!(Quantities.isCpu(resource) ? CPU_DIVISORS : DIVISORS).contains(canonical)) {
      throw new IllegalArgumentException(
          "valueFrom.resourceFieldRef.divisor " + divisor.asText() + " is not supported");
    }
    ObjectNode copy = from.deepCopy();
    ((ObjectNode) copy.get(kind)).put("divisor", canonical);
    return copy;
  }

  private static Optional<Deployment.Resources> resources(
      ResourceRequirements resources, List<String> problems) {
    if (resources == null) {
      return Optional.empty();
    }
    if (resources.claims() != null && !resources.claims().isNull()) {
      problems.add(
          FIELD + ".resources.claims: not applied: the ExtProc pod claims no dynamic resources");
    }
    Map<String, String> limits = quantities("limits", resources.limits(), problems);
    Map<String, String> requests = quantities("requests", resources.requests(), problems);
    requests.entrySet().removeIf(request -> refused(request, limits, problems));
    return requests.isEmpty() && limits.isEmpty()
        ? Optional.empty()
        : Optional.of(new Deployment.Resources(requests, limits));
  }

  /**
   * Whether the API server would refuse a request for its limit: more than it, or, for a resource
   * that cannot be overcommitted (huge pages, devices), other than it.
   */
  private static boolean refused(
      Map.Entry<String, String> request, Map<String, String> limits, List<String> problems) {
    String name = request.getKey();
    String limit = limits.get(name);
    int compared =
        limit == null
            ? -1
            : Quantities.amount(name, request.getValue()).compareTo(Quantities.amount(name, limit));
    String reason =
        OVERCOMMITTED.contains(name)
            ? (compared > 0 ? "more than its limit" : null)
            : (compared != 0 ? "a request of " + name + " must equal its limit" : null);
    if (reason != null) {
      problems.add(FIELD + ".resources.requests." + name + ": not applied: " + reason);
    }
    return reason != null;
  }

  private static Map<String, String> quantities(
      String kind, Map<String, JsonNode> given, List<String> problems) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> quantity : new TreeMap<>(given).entrySet()) {
      try {
        JsonNode value = quantity.getValue();
        if (!value.isTextual() && !value.isNumber()) {
          throw new IllegalArgumentException("not a quantity: " + value.getNodeType());
        }
        out.put(quantity.getKey(), Quantities.canonical(quantity.getKey(), value.asText()));
      } catch (IllegalArgumentException e) {
        problems.add(
            FIELD
                + ".resources."
                + kind
                + "."
                + quantity.getKey()
                + ": not applied: "
                + e.getMessage());
      }
    }
    return out;
  }
}
