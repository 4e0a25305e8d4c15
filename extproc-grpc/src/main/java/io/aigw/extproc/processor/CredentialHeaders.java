package io.aigw.extproc.processor;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The request headers that carry a credential. */
public final class CredentialHeaders {

  /** OpenAI's and Azure's SDKs, Anthropic's, Azure's key header, Gemini's. */
  public static final List<String> CLIENT =
      List.of("authorization", "x-api-key", "api-key", "x-goog-api-key");

  /** The clients' keys, and the browsers' and proxies' credentials. */
  private static final Set<String> ALL =
      Stream.concat(CLIENT.stream(), Stream.of("proxy-authorization", "cookie"))
          .collect(Collectors.toUnmodifiableSet());

  private CredentialHeaders() {}

  /**
   * Whether header {@code name} (lower case) carries a credential: the clients' keys, the browsers'
   * and proxies' credentials, and the default headers of the credential overrides ({@code
   * x-aigw-*}).
   */
  public static boolean carriesCredential(String name) {
    return ALL.contains(name) || name.startsWith("x-aigw-");
  }
}
