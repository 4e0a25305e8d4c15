package io.aigw.extproc.translate.bedrock;

/** Bedrock runtime paths, the model id escaped as Go's {@code url.PathEscape} does. */
public final class BedrockPaths {

  private BedrockPaths() {}

  /** {@code CountTokens} for a foundation model. */
  public static String countTokens(String model) {
    return "/model/" + ConverseRequests.pathEscape(model) + "/count-tokens";
  }

  /** {@code InvokeModel} / {@code InvokeModelWithResponseStream}. */
  public static String invoke(String model, boolean stream) {
    return "/model/"
        + ConverseRequests.pathEscape(model)
        + (stream ? "/invoke-with-response-stream" : "/invoke");
  }
}
