package io.aigw.extproc.translate.bedrock;

import java.util.Set;

/** Bedrock runtime paths, the model id escaped as Go's {@code url.PathEscape} does. */
public final class BedrockPaths {

  private BedrockPaths() {}

  /** The geographies of Bedrock's cross-region inference profiles ({@code us.anthropic.…}). */
  private static final Set<String> PROFILE_GEOGRAPHIES =
      Set.of("us", "us-gov", "eu", "apac", "jp", "au", "ca", "global");

  /** Model providers on Bedrock: a prefix before one is a geography, known or not yet. */
  private static final Set<String> PROVIDERS =
      Set.of(
          "anthropic",
          "amazon",
          "meta",
          "mistral",
          "cohere",
          "ai21",
          "deepseek",
          "writer",
          "qwen",
          "openai",
          "twelvelabs",
          "stability");

  /**
   * {@code CountTokens} for {@code model}'s foundation model, the only id it takes: a cross-region
   * profile's geography is dropped, as upstream does.
   */
  public static String countTokens(String model) {
    return "/model/" + ConverseRequests.pathEscape(foundationModel(model)) + "/count-tokens";
  }

  /**
   * The foundation model of a model id: {@code us.anthropic.claude-x} and the ARN of a system
   * inference profile name {@code anthropic.claude-x}; a foundation model's ARN names itself. An
   * application inference profile's ARN names no model, and stays as it is (a backend's model
   * override can name the model instead).
   */
  static String foundationModel(String model) {
    String id = model;
    if (id.startsWith("arn:")) {
      int slash = id.lastIndexOf('/');
      boolean named = id.contains(":inference-profile/") || id.contains(":foundation-model/");
      if (!named || slash < 0) {
        return model;
      }
      id = id.substring(slash + 1);
    }
    int dot = id.indexOf('.');
    if (dot <= 0) {
      return id;
    }
    String first = id.substring(0, dot);
    String rest = id.substring(dot + 1);
    int next = rest.indexOf('.');
    boolean beforeProvider =
        !PROVIDERS.contains(first) && next > 0 && PROVIDERS.contains(rest.substring(0, next));
    return PROFILE_GEOGRAPHIES.contains(first) || beforeProvider ? rest : id;
  }

  /** {@code InvokeModel} / {@code InvokeModelWithResponseStream}. */
  public static String invoke(String model, boolean stream) {
    return "/model/"
        + ConverseRequests.pathEscape(model)
        + (stream ? "/invoke-with-response-stream" : "/invoke");
  }
}
