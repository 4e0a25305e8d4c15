package io.aigw.extproc.processor;

import java.util.List;

/** The request headers in which clients of the providers' SDKs send their key. */
public final class CredentialHeaders {

  /** OpenAI's and Azure's SDKs, Anthropic's, Azure's key header, Gemini's. */
  public static final List<String> CLIENT =
      List.of("authorization", "x-api-key", "api-key", "x-goog-api-key");

  private CredentialHeaders() {}
}
