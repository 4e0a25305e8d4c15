package io.aigw.core.model.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.model.AiResourceReader;
import io.aigw.core.model.QuotaPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a cluster with the AI Gateway CRDs (upstream v1.1.0) would say to {@code kubectl apply} of
 * one object: strict field validation ({@code unknown field "spec.foo"}), the OpenAPI schema
 * (required fields, types, lengths, patterns, enums, item and property counts, list keys) and every
 * CEL rule, each with the API server's message. The object is checked after the API server's
 * defaulting ({@link AiResourceReader#normalizedTree}), as a cluster does, so for example a parent
 * reference without a kind counts as a Gateway. Only the object itself is looked at: whether the
 * backends, Secrets or Gateways it names exist is the projections' business.
 *
 * <p>Differences from a cluster, on purpose: a missing required string is {@code Required value}
 * (what {@code kubectl} gets), where upstream's Go tests, which go through typed structs, see an
 * empty string and the minLength or enum message instead. A key repeated in one YAML mapping
 * ({@code duplicate field} in kubectl) cannot be seen in a parsed tree. The Envoy Gateway {@code
 * OIDC} blocks are checked for the fields aigw uses; their browser-flow sub-blocks, which vary
 * between Envoy Gateway releases, are accepted as they are. A QuotaPolicy of another version than
 * v1alpha1 gets one violation, on its {@code apiVersion}: upstream serves it only as v1alpha1 (a
 * cluster would answer that it has no such kind in that version). Objects of other kinds give no
 * violations. Never throws, whatever the tree; a few microseconds per object.
 */
public final class AiResourceValidator {

  private static final String SUBDOMAIN_REGEX =
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
  private static final String LABEL_REGEX = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_REGEX);
  private static final Pattern LABEL = Pattern.compile(LABEL_REGEX);

  private AiResourceValidator() {}

  /** Whether {@code name} is a DNS subdomain (RFC 1123), as most Kubernetes names must be. */
  public static boolean isSubdomain(String name) {
    return name.length() <= 253 && SUBDOMAIN.matcher(name).matches();
  }

  /** Every violation, in the order the API server reports them; empty when the object is valid. */
  public static List<Violation> validate(JsonNode raw) {
    return AiResourceReader.normalize(raw)
        .map(AiResourceValidator::validateNormalized)
        .orElse(List.of());
  }

  /**
   * Every violation of an object already normalised ({@link AiResourceReader#normalize}), in the
   * order the API server reports them; the same as {@link #validate(JsonNode)} of the raw object.
   */
  public static List<Violation> validateNormalized(AiResourceReader.Normalized object) {
    JsonNode tree = object.tree();
    if (AiResourceReader.KIND_QUOTA_POLICY.equals(object.kind()) && !object.v1alpha1()) {
      return List.of(
          Violation.invalid(
              "apiVersion",
              Violation.quote(tree.path("apiVersion").asText("")),
              QuotaPolicy.ONLY_V1ALPHA1));
    }
    Schema.ObjectSchema schema =
        switch (object.kind()) {
          case AiResourceReader.KIND_ROUTE -> AiGatewaySchemas.ROUTE;
          case AiResourceReader.KIND_BACKEND -> AiGatewaySchemas.BACKEND;
          case AiResourceReader.KIND_GATEWAY_CONFIG -> AiGatewaySchemas.GATEWAY_CONFIG;
          case AiResourceReader.KIND_QUOTA_POLICY -> AiGatewaySchemas.QUOTA_POLICY;
          default ->
              object.v1alpha1()
                  ? AiGatewaySchemas.POLICY_V1ALPHA1
                  : AiGatewaySchemas.POLICY_V1BETA1;
        };
    List<Violation> checked = SchemaValidator.check(tree, schema, "");
    // decoding (unknown fields) fails before object-meta checks, which run before the schema's
    List<Violation> violations = new ArrayList<>();
    checked.stream().filter(Violation::isUnknownField).forEach(violations::add);
    violations.addAll(checkMetadata(tree.path("metadata")));
    checked.stream().filter(v -> !v.isUnknownField()).forEach(violations::add);
    return List.copyOf(violations);
  }

  /** The API server's object-meta checks for a namespaced custom resource. */
  private static List<Violation> checkMetadata(JsonNode metadata) {
    List<Violation> violations = new ArrayList<>();
    JsonNode name = metadata.get("name");
    if (name == null || name.isNull() || name.asText().isEmpty()) {
      JsonNode generateName = metadata.get("generateName");
      if (generateName == null || !generateName.isTextual() || generateName.asText().isEmpty()) {
        violations.add(Violation.required("metadata.name", "name or generateName is required"));
      }
    } else if (name.isTextual()) {
      checkDnsName("metadata.name", name.textValue(), 253, SUBDOMAIN, subdomainMessage())
          .ifPresent(violations::add);
    }
    JsonNode namespace = metadata.get("namespace");
    if (namespace != null && namespace.isTextual()) {
      checkDnsName("metadata.namespace", namespace.textValue(), 63, LABEL, labelMessage())
          .ifPresent(violations::add);
    }
    return violations;
  }

  private static Optional<Violation> checkDnsName(
      String field, String value, int max, Pattern pattern, String message) {
    if (value.length() > max) {
      return Optional.of(
          Violation.invalid(
              field, Violation.quote(value), "must be no more than " + max + " characters"));
    }
    if (!pattern.matcher(value).matches()) {
      return Optional.of(Violation.invalid(field, Violation.quote(value), message));
    }
    return Optional.empty();
  }

  private static String subdomainMessage() {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-'"
        + " or '.', and must start and end with an alphanumeric character (e.g. 'example.com',"
        + " regex used for validation is '"
        + SUBDOMAIN_REGEX
        + "')";
  }

  private static String labelMessage() {
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-',"
        + " and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc',"
        + " regex used for validation is '"
        + LABEL_REGEX
        + "')";
  }
}
