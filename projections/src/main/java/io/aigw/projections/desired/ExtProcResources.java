package io.aigw.projections.desired;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU and memory every generated ExtProc container asks for, each set as both request and
 * limit. With both set the pod is Guaranteed, and with an integer CPU a kubelet running the static
 * CPU manager policy gives it whole cores: the ExtProc's tail latency is lowest on CPUs it does not
 * share (BENCHMARKS.md). Quantities are held in the form the API server stores them ({@code 1500m},
 * {@code 2}, {@code 1Gi}), because the applier compares the live Deployment with the desired one
 * field by field and would otherwise rewrite it on every drift check.
 */
public record ExtProcResources(Optional<String> cpu, Optional<String> memory) {

  /** No requests or limits: the namespace's defaults apply. */
  public static final ExtProcResources NONE =
      new ExtProcResources(Optional.empty(), Optional.empty());

  // below 1000 cores and 1 PiB, where the API server would switch to the k and Pi suffixes
  private static final Pattern CORES = Pattern.compile("(\\d{1,3})(?:\\.(\\d{1,3}))?");
  private static final Pattern MILLICORES = Pattern.compile("(\\d{1,6})m");
  private static final Pattern BYTES = Pattern.compile("(\\d{1,12})(Ki|Mi|Gi|Ti)");
  private static final long PEBIBYTE = 1L << 50;
  private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti"};

  public ExtProcResources {
    Objects.requireNonNull(cpu, "cpu");
    Objects.requireNonNull(memory, "memory");
    cpu = cpu.map(ExtProcResources::canonicalCpu);
    memory = memory.map(ExtProcResources::canonicalMemory);
  }

  public boolean isEmpty() {
    return cpu.isEmpty() && memory.isEmpty();
  }

  /** The set quantities by resource name ({@code cpu}, {@code memory}). */
  public Map<String, String> quantities() {
    Map<String, String> quantities = new TreeMap<>();
    cpu.ifPresent(value -> quantities.put("cpu", value));
    memory.ifPresent(value -> quantities.put("memory", value));
    return Collections.unmodifiableMap(quantities);
  }

  /**
   * {@code raw} cores ({@code 2}, {@code 1.5}) or millicores ({@code 1500m}) as the API server
   * writes them: whole cores as an integer, anything else in millicores.
   */
  public static String canonicalCpu(String raw) {
    long millis;
    Matcher cores = CORES.matcher(raw);
    Matcher millicores = MILLICORES.matcher(raw);
    if (cores.matches()) {
      // "1.5" is 1 core and "500" thousandths
      String thousandths = (Objects.requireNonNullElse(cores.group(2), "") + "000").substring(0, 3);
      millis = Long.parseLong(cores.group(1)) * 1000 + Long.parseLong(thousandths);
    } else if (millicores.matches()) {
      millis = Long.parseLong(millicores.group(1));
    } else {
      throw new IllegalArgumentException(
          "not a CPU quantity: \""
              + raw
              + "\" (cores such as 2 or 1.5, or millicores such as 500m, below 1000 cores)");
    }
    if (millis == 0 || millis >= 1_000_000) {
      throw new IllegalArgumentException(
          "a CPU quantity must be more than zero and below 1000 cores: \"" + raw + "\"");
    }
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
  }

  /**
   * {@code raw} bytes with a binary suffix ({@code 512Mi}) as the API server writes them: with the
   * largest suffix that divides it ({@code 1024Mi} is {@code 1Gi}).
   */
  public static String canonicalMemory(String raw) {
    Matcher matcher = BYTES.matcher(raw);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "not a memory quantity: \""
              + raw
              + "\" (an integer with Ki, Mi, Gi or Ti, such as 512Mi)");
    }
    long amount = Long.parseLong(matcher.group(1));
    int suffix = Arrays.asList(BINARY_SUFFIXES).indexOf(matcher.group(2));
    if (amount == 0 || amount >= PEBIBYTE >> (10 * suffix)) {
      throw new IllegalArgumentException(
          "a memory quantity must be more than zero and below 1Pi: \"" + raw + "\"");
    }
    while (suffix < BINARY_SUFFIXES.length - 1 && amount % 1024 == 0) {
      amount /= 1024;
      suffix++;
    }
    return amount + BINARY_SUFFIXES[suffix];
  }
}
