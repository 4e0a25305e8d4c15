package io.aigw.extproc.processor;

/**
 * The {@code gen_ai.provider.name} of a backend, as upstream reports it: the provider its schema
 * speaks to, else the backend's name.
 */
final class GenAiProvider {

  private GenAiProvider() {}

  static String of(BackendTarget backend) {
    return switch (backend.schema().name()) {
      case OpenAI -> "openai";
      case AzureOpenAI -> "azure.openai";
      case AWSBedrock -> "aws.bedrock";
      case AWSAnthropic -> "aws.anthropic";
      case GCPVertexAI -> "gcp.vertex_ai";
      case GCPAnthropic -> "gcp.anthropic";
      case Anthropic -> "anthropic";
      case Cohere -> "cohere";
    };
  }
}
