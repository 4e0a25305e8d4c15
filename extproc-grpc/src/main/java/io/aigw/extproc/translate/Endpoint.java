package io.aigw.extproc.translate;

import java.util.Optional;

/**
 * The client-facing API paths the gateway serves, with the path suffix a backend's prefix is put in
 * front of and the operation name metrics use.
 */
public enum Endpoint {
  CHAT_COMPLETIONS("/v1/chat/completions", "chat/completions", "chat"),
  COMPLETIONS("/v1/completions", "completions", "completion"),
  EMBEDDINGS("/v1/embeddings", "embeddings", "embeddings"),
  /** OpenAI's Responses API, which its SDKs and agents use in place of chat completions. */
  RESPONSES("/v1/responses", "responses", "responses"),
  /** The Responses API's token count of an input, before it is sent. */
  RESPONSES_INPUT_TOKENS(
      "/v1/responses/input_tokens", "responses/input_tokens", "responses_input_tokens"),
  /** Image generation; {@code stream} gets partial images as events (gpt-image-1). */
  IMAGES_GENERATIONS("/v1/images/generations", "images/generations", "image_generation"),
  /**
   * Text to speech: the audio comes back as it is made, so its answer is always streamed through
   * (as events when {@code stream_format} is {@code sse}).
   */
  AUDIO_SPEECH("/v1/audio/speech", "audio/speech", "speech"),
  /**
   * Speech to text, a multipart form with the audio file; {@code stream} gets the text as events.
   */
  AUDIO_TRANSCRIPTIONS("/v1/audio/transcriptions", "audio/transcriptions", "transcription"),
  /** Speech to English text, a multipart form too; it never streams. */
  AUDIO_TRANSLATIONS("/v1/audio/translations", "audio/translations", "translation"),
  /** vLLM's token count of a prompt or a chat, at the server's root whatever the prefix. */
  TOKENIZE("/tokenize", "tokenize", "tokenize"),
  /** Anthropic's Messages API, served under the {@code /anthropic} prefix as upstream does. */
  MESSAGES("/anthropic/v1/messages", "messages", "messages"),
  /** Anthropic's token counting of a Messages request, under the same prefix. */
  COUNT_TOKENS("/anthropic/v1/messages/count_tokens", "messages/count_tokens", "count_tokens"),
  /** Cohere's rerank API, served under the {@code /cohere} prefix as upstream does. */
  RERANK("/cohere/v2/rerank", "rerank", "rerank");

  private final String path;
  private final String suffix;
  private final String operation;

  Endpoint(String path, String suffix, String operation) {
    this.path = path;
    this.suffix = suffix;
    this.operation = operation;
  }

  /** The gateway path, e.g. {@code /v1/chat/completions}. */
  public String path() {
    return path;
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

  /** The endpoint of a request path; the query string is ignored. */
  public static Optional<Endpoint> forPath(String path) {
    int query = path.indexOf('?');
    String bare = query < 0 ? path : path.substring(0, query);
    for (Endpoint endpoint : values()) {
      if (endpoint.path.equals(bare)) {
        return Optional.of(endpoint);
      }
    }
    return Optional.empty();
  }
}
