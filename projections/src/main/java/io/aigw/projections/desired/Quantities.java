package io.aigw.projections.desired;

import java.math.BigInteger;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities of the forms aigw writes, in the text the API server stores them
 * in: written so, the live object reads back as desired, where any other text would read as drift
 * on every check. CPU is cores or millicores ({@link ExtProcResources#canonicalCpu}); any other
 * resource a whole number with a binary suffix ({@code Ki} to {@code Ti}), a decimal one ({@code k}
 * to {@code E}) or none.
 */
final class Quantities {

  private static final Pattern DECIMAL = Pattern.compile("(\\d{1,15})([kMGTPE]?)");
  private static final Pattern BINARY = Pattern.compile("(\\d{1,12})(Ki|Mi|Gi|Ti)");
  private static final Pattern ZERO = Pattern.compile("0+(\\.0*)?(m|[kMGTPE]|[KMGT]i)?");
  private static final List<String> DECIMAL_SUFFIXES = List.of("", "k", "M", "G", "T", "P", "E");
  private static final List<String> BINARY_SUFFIXES = List.of("", "Ki", "Mi", "Gi", "Ti");

  private Quantities() {}

  /**
   * {@code raw}, a quantity of {@code resource} ({@code cpu}, {@code memory}, …), as the API server
   * stores it.
   *
   * @throws IllegalArgumentException for a form aigw does not write, saying which it does
   */
  static String canonical(String resource, String raw) {
    if (raw == null) {
      throw new IllegalArgumentException("not a quantity");
    }
    if (ZERO.matcher(raw).matches()) {
      // nothing, with any suffix, is stored as 0
      return "0";
    }
    if (isCpu(resource)) {
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
              + "\" is not one aigw writes (a whole number, with Ki, Mi, Gi, Ti, k, M, G, T, P or E"
              + " or none)");
    }
    long amount = Long.parseLong(decimal.group(1));
    if (amount == 0) {
      return "0";
    }
    int suffix = DECIMAL_SUFFIXES.indexOf(decimal.group(2));
    while (amount % 1000 == 0 && suffix < DECIMAL_SUFFIXES.size() - 1) {
      amount /= 1000;
      suffix++;
    }
    if (suffix == DECIMAL_SUFFIXES.size() - 1 && amount >= 1000) {
      // the API server would write it in another form
      throw new IllegalArgumentException("quantity \"" + raw + "\" is 1000E or more");
    }
    return amount + DECIMAL_SUFFIXES.get(suffix);
  }

  /**
   * The amount of a canonical quantity of {@code resource}, in thousandths of a core for CPU and in
   * units (bytes, say) for the others: what compares a request with its limit.
   */
  static BigInteger amount(String resource, String canonical) {
    if (canonical.equals("0")) {
      return BigInteger.ZERO;
    }
    if (isCpu(resource)) {
      return canonical.endsWith("m")
          ? new BigInteger(canonical.substring(0, canonical.length() - 1))
          : new BigInteger(canonical).multiply(BigInteger.valueOf(1000));
    }
    Matcher binary = BINARY.matcher(canonical);
    if (binary.matches()) {
      return new BigInteger(binary.group(1))
          .shiftLeft(10 * BINARY_SUFFIXES.indexOf(binary.group(2)));
    }
    Matcher decimal = DECIMAL.matcher(canonical);
    if (!decimal.matches()) {
      throw new IllegalArgumentException("not a canonical quantity: \"" + canonical + "\"");
    }
    return new BigInteger(decimal.group(1))
        .multiply(BigInteger.TEN.pow(3 * DECIMAL_SUFFIXES.indexOf(decimal.group(2))));
  }

  /** Whether {@code resource} counts cores: {@code cpu}, or {@code limits.cpu} in a field ref. */
  static boolean isCpu(String resource) {
    return resource.equals("cpu") || resource.endsWith(".cpu");
  }
}
