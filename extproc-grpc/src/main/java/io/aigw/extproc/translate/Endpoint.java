package io.aigw.extproc.translate;

import io.aigw.core.filterconfig.ApiFamily;

/**
 * The client-facing APIs the gateway serves, each with its path in its API family (served under the
 * family's prefix, see {@link io.aigw.core.filterconfig.ApiPaths}), the path suffix a backend's
 * prefix is put in front of and the operation name metrics use.
 */
public enum Endpoint {
  CHAT_COMPLETIONS(ApiFamily.OPENAI, "/v1/chat/completions", "chat/completions", "chat"),
  COMPLETIONS(ApiFamily.OPENAI, "/v1/completions", "completions", "completion"),
  EMBEDDINGS(ApiFamily.OPENAI, "/v1/embeddings", "embeddings", "embeddings"),
  /** OpenAI's Responses API, which its SDKs and agents use in place of chat completions. */
  RESPONSES(ApiFamily.OPENAI, "/v1/responses", "responses", "responses"),
  /** The Responses API's token count of an input, before it is sent. */
  RESPONSES_INPUT_TOKENS(
      ApiFamily.OPENAI,
      "/v1/responses/input_tokens",
      "responses/input_tokens",
      "responses_input_tokens"),
  /** Image generation; {@code stream} gets partial images as events (gpt-image-1). */
  IMAGES_GENERATIONS(
      ApiFamily.OPENAI, "/v1/images/generations", "images/generations", "image_generation"),
  /**
   * Text to speech: the audio comes back as it is made, so its answer is always streamed through
   * (as events when {@code stream_format} is {@code sse}).
   */
  AUDIO_SPEECH(ApiFamily.OPENAI, "/v1/audio/speech", "audio/speech", "speech"),
  /**
   * Speech to text, a multipart form with the audio file; {@code stream} gets the text as events.
   */
  AUDIO_TRANSCRIPTIONS(
      ApiFamily.OPENAI, "/v1/audio/transcriptions", "audio/transcriptions", "transcription"),
  /** Speech to English text, a multipart form too; it never streams. */
  AUDIO_TRANSLATIONS(
      ApiFamily.OPENAI, "/v1/audio/translations", "audio/translations", "translation"),
  /**
   * vLLM's token count of a prompt or a chat; sent to the provider at its server's root, {@code
   * /tokenize}, whatever the backend's prefix.
   */
  TOKENIZE(ApiFamily.OPENAI, "/tokenize", "tokenize", "tokenize"),
  /** Anthropic's Messages API, under Anthropic's prefix ({@code /anthropic} as upstream). */
  MESSAGES(ApiFamily.ANTHROPIC, "/v1/messages", "messages", "messages"),
  /** Anthropic's token counting of a Messages request, under the same prefix. */
  COUNT_TOKENS(
      ApiFamily.ANTHROPIC, "/v1/messages/count_tokens", "messages/count_tokens", "count_tokens"),
  /** Cohere's rerank API, under Cohere's prefix ({@code /cohere} as upstream). */
  RERANK(ApiFamily.COHERE, "/v2/rerank", "rerank", "rerank");

  private final ApiFamily family;
  private final String apiPath;
  private final String suffix;
  private final String operation;

  Endpoint(ApiFamily family, String apiPath, String suffix, String operation) {
    this.family = family;
    this.apiPath = apiPath;
    this.suffix = suffix;
    this.operation = operation;
  }

  /** The API it belongs to, whose prefix it is served under. */
  public ApiFamily family() {
    return family;
  }

  /** Its path in its API, e.g. {@code /v1/messages}. */
  public String apiPath() {
    return apiPath;
  }

  /** What follows the backend prefix upstream, e.g. {@code chat/completions}. */
  public String suffix() {
    return suffix;
  }

  /** {@code gen_ai.operation.name}. */
  public String operation() {
    return operation;
  }

  /** Whether a streamed answer's events name the model (image and audio events do not). */
  public boolean eventsNameModel() {
    return this != IMAGES_GENERATIONS && this != AUDIO_SPEECH && this != AUDIO_TRANSCRIPTIONS;
  }

  /** Whether requests come as a {@code multipart/form-data} form, not JSON. */
  public boolean multipart() {
    return this == AUDIO_TRANSCRIPTIONS || this == AUDIO_TRANSLATIONS;
  }

  /** Whether requests on this endpoint may ask for a streamed response. */
  public boolean canStream() {
    return this != EMBEDDINGS
        && this != TOKENIZE
        && this != AUDIO_TRANSLATIONS
        && this != RERANK
        && this != RESPONSES_INPUT_TOKENS
        && this != COUNT_TOKENS;
  }
}
