package io.aigw.deploy.cli;

import io.aigw.deploy.settings.Settings;
import io.aigw.extproc.metrics.ExtProcMetrics;
import io.aigw.extproc.processor.HeaderAttributes;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The request headers recorded on each request's span and metrics, for the commands that serve the
 * ExtProc: {@code --span-request-header-attributes} and {@code
 * --metrics-request-header-attributes}, upstream's flags.
 */
public final class HeaderAttributeFlags {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  private HeaderAttributes span = Settings.SPAN_REQUEST_HEADER_ATTRIBUTES.from(System.getenv());
  private HeaderAttributes metrics =
      Settings.METRICS_REQUEST_HEADER_ATTRIBUTES.from(System.getenv());

  @Option(
      names = "--span-request-header-attributes",
      paramLabel = "HEADER:ATTRIBUTE,...",
      description =
          "Request headers recorded on each request's span when tracing is on (OTEL_* variables;"
              + " see README) (default: $AIGW_SPAN_REQUEST_HEADER_ATTRIBUTES, else "
              + HeaderAttributes.DEFAULT
              + "; none for none)")
  void span(String mapping) {
    span = read("--span-request-header-attributes", mapping);
  }

  @Option(
      names = "--metrics-request-header-attributes",
      paramLabel = "HEADER:LABEL,...",
      description =
          "Request headers each request's metrics are labelled with, at most 100 values each (a"
              + " tenant's or a user's tokens, say) (default: $AIGW_METRICS_REQUEST_HEADER_ATTRIBUTES,"
              + " else none)")
  void metrics(String mapping) {
    metrics = read("--metrics-request-header-attributes", mapping);
    try {
      ExtProcMetrics.checkHeaderLabels(metrics);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          mixee.commandLine(), "--metrics-request-header-attributes: " + e.getMessage());
    }
  }

  private HeaderAttributes read(String flag, String mapping) {
    try {
      return HeaderAttributes.parse(mapping);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(mixee.commandLine(), flag + ": " + e.getMessage());
    }
  }

  /** What each request's span records. */
  HeaderAttributes span() {
    return span;
  }

  /** What each request's metrics are labelled with. */
  HeaderAttributes metrics() {
    return metrics;
  }
}
