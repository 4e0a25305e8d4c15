package io.aigw.projections.desired;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.model.ContainerSpec;
import io.aigw.core.model.ContainerSpec.ContainerEnvVar;
import io.aigw.core.model.ContainerSpec.ResourceRequirements;
import io.aigw.core.model.GatewayConfig;
import io.aigw.core.model.gateway.Deployment;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a GatewayConfig's {@code extProc.kubernetes} changes in the ExtProc container of the routes
 * that follow it, as upstream merges it: its image (or its repository, with this release's tag or
 * digest), its variables over the controller's (a name given again is replaced where it stands),
 * its resources and its security context instead of aigw's. A part aigw cannot apply is left out
 * and named in {@code problems}, which the GatewayConfig's status reports; the rest applies.
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
    Optional<JsonNode> securityContext,
    List<String> problems) {

  public static final ContainerOverrides NONE =
      new ContainerOverrides(
          Optional.empty(), List.of(), Optional.empty(), Optional.empty(), List.of());

  private static final String FIELD = "spec.extProc.kubernetes";
  private static final Set<String> SOURCES =
      Set.of("secretKeyRef", "configMapKeyRef", "fieldRef", "resourceFieldRef");
  private static final Pattern DECIMAL = Pattern.compile("(\\d{1,15})([kMGTP]?)");
  private static final Pattern BINARY = Pattern.compile("\\d{1,12}(Ki|Mi|Gi|Ti)");
  private static final String[] DECIMAL_SUFFIXES = {"", "k", "M", "G", "T", "P"};

  public ContainerOverrides {
    env = List.copyOf(env);
    problems = List.copyOf(problems);
  }

  /** What {@code config} changes; {@code releaseImage} gives the tag for an image repository. */
  public static ContainerOverrides of(GatewayConfig config, String releaseImage) {
    var extProc = config.spec().extProc();
    ContainerSpec spec = extProc == null ? null : extProc.kubernetes();
    if (spec == null) {
      return NONE;
    }
    List<String> problems = new ArrayList<>();
    Optional<String> image = Optional.ofNullable(spec.image());
    if (spec.imageRepository() != null && !spec.imageRepository().isEmpty()) {
      image = Optional.of(spec.imageRepository() + tagOf(releaseImage));
    }
    List<Deployment.EnvVar> env = env(spec.env(), problems);
    Optional<Deployment.Resources> resources = resources(spec.resources(), problems);
    JsonNode securityContext = spec.securityContext();
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
        image, env, resources, Optional.ofNullable(securityContext), problems);
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
      String field = FIELD + ".env[" + i + "]";
      Optional<String> problem = envProblem(variable);
      if (problem.isPresent()) {
        problems.add(field + ": not applied: " + problem.get());
        continue;
      }
      // the API server stores an empty value as none: written so, it never reads as drift
      String value =
          variable.value() == null || variable.value().isEmpty() ? null : variable.value();
      env.add(new Deployment.EnvVar(variable.name(), value, variable.valueFrom()));
    }
    return env;
  }

  private static Optional<String> envProblem(ContainerEnvVar variable) {
    String name = variable.name();
    if (name == null || name.isEmpty() || name.contains("=")) {
      return Optional.of("a variable's name must be set and have no '='");
    }
    JsonNode from = variable.valueFrom();
    if (from == null || from.isNull()) {
      return Optional.empty();
    }
    if (variable.value() != null && !variable.value().isEmpty()) {
      return Optional.of("value and valueFrom cannot both be set");
    }
    if (!from.isObject() || from.size() != 1 || !SOURCES.contains(from.fieldNames().next())) {
      return Optional.of(
          "valueFrom must set exactly one of configMapKeyRef, fieldRef, resourceFieldRef and"
              + " secretKeyRef");
    }
    return Optional.empty();
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
    Map<String, String> requests = quantities("requests", resources.requests(), problems);
    Map<String, String> limits = quantities("limits", resources.limits(), problems);
    return requests.isEmpty() && limits.isEmpty()
        ? Optional.empty()
        : Optional.of(new Deployment.Resources(requests, limits));
  }

  private static Map<String, String> quantities(
      String kind, Map<String, String> given, List<String> problems) {
    Map<String, String> out = new TreeMap<>();
    for (Iterator<Map.Entry<String, String>> it = new TreeMap<>(given).entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, String> quantity = it.next();
      try {
        out.put(quantity.getKey(), canonical(quantity.getKey(), quantity.getValue()));
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

  /**
   * A quantity as the API server stores it, so the live Deployment reads back as desired: CPU in
   * cores or millicores, others with a binary suffix or in decimal units (a whole number, or {@code
   * k}, {@code M}, {@code G}, {@code T}, {@code P}).
   */
  static String canonical(String resource, String raw) {
    if (raw == null) {
      throw new IllegalArgumentException("not a quantity");
    }
    if ("cpu".equals(resource)) {
      return ExtProcResources.canonicalCpu(raw);
    }
    if (BINARY.matcher(raw).matches()) {
      return ExtProcResources.canonicalMemory(raw);
    }
    Matcher decimal = DECIMAL.matcher(raw);
    if (!decimal.matches()) {
      throw new IllegalArgumentException(
          "quantity \""
              + raw
              + "\" is not one aigw writes (a whole number, with Ki, Mi, Gi, Ti, k, M, G, T or P"
              + " or none)");
    }
    long amount = Long.parseLong(decimal.group(1));
    int suffix = List.of(DECIMAL_SUFFIXES).indexOf(decimal.group(2));
    while (amount != 0 && amount % 1000 == 0 && suffix < DECIMAL_SUFFIXES.length - 1) {
      amount /= 1000;
      suffix++;
    }
    return amount + DECIMAL_SUFFIXES[suffix];
  }
}
