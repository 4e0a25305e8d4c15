package io.aigw.deploy.settings;

import io.aigw.core.model.gateway.Deployment;
import io.aigw.core.model.validation.AiResourceValidator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The variables the generated ExtProc containers get besides aigw's own, as upstream's {@code
 * --extProcExtraEnvVars} gives them: {@code NAME=value;NAME=value}, literal, or {@code
 * NAME=secret/key;…}, read by the kubelet from a Secret in each route's namespace, for a value the
 * Deployment, and so the dashboard, must not show (an OTLP collector's token, say).
 */
final class ExtProcEnvironment {

  /** What Kubernetes takes as a variable's name. */
  private static final Pattern NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  /** What the API server takes as a Secret's key. */
  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  /** Set by aigw itself from its own settings. */
  private static final Set<String> RESERVED = Set.of("AIGW_LOG_LEVEL");

  private static final String BOTH = "AIGW_EXTPROC_ENV and AIGW_EXTPROC_SECRET_ENV: ";

  private ExtProcEnvironment() {}

  /**
   * Literal variables, {@code NAME=value;NAME=value}; a value may hold {@code =}. An empty value is
   * left out of the object, as the API server stores it: written, it would never read back equal.
   */
  static List<Deployment.EnvVar> literal(String raw) {
    List<Deployment.EnvVar> vars = new ArrayList<>();
    for (Entry entry : entries(raw)) {
      vars.add(new Deployment.EnvVar(entry.name(), entry.value().isEmpty() ? null : entry.value()));
    }
    return List.copyOf(vars);
  }

  /** Variables from Secrets, {@code NAME=secret/key;…}. */
  static List<Deployment.EnvVar> fromSecrets(String raw) {
    List<Deployment.EnvVar> vars = new ArrayList<>();
    for (Entry entry : entries(raw)) {
      String ref = entry.value();
      int slash = ref.indexOf('/');
      String secret = slash < 0 ? "" : ref.substring(0, slash);
      String key = slash < 0 ? "" : ref.substring(slash + 1);
      if (!AiResourceValidator.isSubdomain(secret) || !SECRET_KEY.matcher(key).matches()) {
        // a pasted value, not a reference, is the likely mistake: never quoted
        throw new IllegalArgumentException(
            "entry "
                + entry.place()
                + " ("
                + entry.name()
                + ") is not NAME=secret/key (a Secret's name and one of its keys)");
      }
      if (entry.name().startsWith("AIGW_")) {
        throw new IllegalArgumentException(
            "entry "
                + entry.place()
                + " ("
                + entry.name()
                + ") is aigw's own setting: give it literally");
      }
      vars.add(Deployment.EnvVar.fromSecret(entry.name(), secret, key));
    }
    return List.copyOf(vars);
  }

  /** Both lists as one, each name once, none of aigw's own. */
  static List<Deployment.EnvVar> combined(
      List<Deployment.EnvVar> literal, List<Deployment.EnvVar> fromSecrets) {
    Set<String> names = new LinkedHashSet<>();
    List<Deployment.EnvVar> all = new ArrayList<>(literal);
    all.addAll(fromSecrets);
    for (Deployment.EnvVar var : all) {
      if (RESERVED.contains(var.name())) {
        throw new IllegalArgumentException(
            BOTH + var.name() + " is set by aigw (the controller's log level), not here");
      }
      if (!names.add(var.name())) {
        throw new IllegalArgumentException(BOTH + var.name() + " is given twice");
      }
    }
    return List.copyOf(all);
  }

  /** One {@code NAME=value} of a list, with its place in it (from 1) for an error to name. */
  private record Entry(String name, String value, int place) {}

  /** The entries; one that does not parse is named by its place, its text never quoted. */
  private static List<Entry> entries(String raw) {
    List<Entry> entries = new ArrayList<>();
    String[] parts = raw.split(";");
    for (int i = 0; i < parts.length; i++) {
      String entry = parts[i];
      if (entry.isBlank()) {
        continue;
      }
      int equals = entry.indexOf('=');
      String name = equals < 0 ? "" : entry.substring(0, equals).strip();
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "entry "
                + (i + 1)
                + " is not NAME=value (a name of letters, digits, '_', '-', '.', then '=')");
      }
      entries.add(new Entry(name, entry.substring(equals + 1), i + 1));
    }
    return entries;
  }
}
