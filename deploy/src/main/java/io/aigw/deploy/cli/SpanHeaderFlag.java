package io.aigw.deploy.cli;

import io.aigw.deploy.settings.Settings;
import io.aigw.extproc.tracing.SpanHeaderAttributes;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --span-request-header-attributes}, for the commands that serve the ExtProc. */
public final class SpanHeaderFlag {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  private SpanHeaderAttributes attributes =
      Settings.SPAN_REQUEST_HEADER_ATTRIBUTES.from(System.getenv());

  @Option(
      names = "--span-request-header-attributes",
      paramLabel = "HEADER:ATTRIBUTE,...",
      description =
          "Request headers recorded on each request's span when tracing is on (OTEL_* variables;"
              + " see README) (default: $AIGW_SPAN_REQUEST_HEADER_ATTRIBUTES, else "
              + SpanHeaderAttributes.DEFAULT
              + "; empty for none)")
  void attributes(String mapping) {
    try {
      attributes = SpanHeaderAttributes.parse(mapping);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          mixee.commandLine(), "--span-request-header-attributes: " + e.getMessage());
    }
  }

  SpanHeaderAttributes attributes() {
    return attributes;
  }
}
