package io.aigw.extproc.auth;

import io.aigw.core.filterconfig.BackendAuth;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Bedrock request is signed for: the host Envoy sends it to, and the region of that host. A
 * backend reached through its own endpoint (FIPS, {@code bedrock-runtime-fips.<region>…}, or a
 * PrivateLink one, {@code vpce-….bedrock-runtime.<region>.vpce.amazonaws.com}) is signed for that
 * host, in the region its name gives, as upstream does; otherwise for the region's public endpoint.
 */
final class BedrockEndpoint {

  private static final Pattern REGIONAL =
      Pattern.compile(
          "(?:^|\\.)bedrock-runtime(?:-fips)?\\.([a-z0-9-]+)\\."
              + "(?:vpce\\.amazonaws\\.com|amazonaws\\.com|api\\.aws)$");

  private BedrockEndpoint() {}

  static SigV4Signer.Scope scopeOf(BackendAuth.Aws aws) {
    if (aws.host() == null || aws.host().isEmpty()) {
      return new SigV4Signer.Scope("bedrock", aws.region(), aws.publicHost());
    }
    String host = aws.host().toLowerCase(Locale.ROOT);
    Matcher regional = REGIONAL.matcher(host);
    return new SigV4Signer.Scope(
        "bedrock", regional.find() ? regional.group(1) : aws.region(), host);
  }
}
