package io.aigw.extproc.translate;

import java.nio.charset.StandardCharsets;

/**
 * Writes OpenAI {@code chat.completion.chunk} events ({@code data: {...}\n\n}) for translators that
 * turn a provider's stream into OpenAI's. The envelope ({@code id}, {@code object}, {@code
 * created}, {@code model}) is rendered once per stream; each chunk appends its choices or usage.
 */
public final class ChunkWriter {

  private final StringBuilder out = new StringBuilder(512);
  private String envelope;

  /** Sets the envelope; call before the first chunk (and again when the id becomes known). */
  public void envelope(String id, long created, String model) {
    StringBuilder e = new StringBuilder(96).append("data: {\"id\":");
    JsonText.quote(e, id);
    e.append(",\"object\":\"chat.completion.chunk\",\"created\":").append(created);
    e.append(",\"model\":");
    JsonText.quote(e, model);
    envelope = e.toString();
  }

  /** Starts a chunk with one choice; the caller appends the delta's fields, then {@link #end}. */
  public StringBuilder choice() {
    return choice(0);
  }

  /** As {@link #choice()} for choice {@code index} of several (e.g. Gemini candidates). */
  public StringBuilder choice(int index) {
    return out.append(envelope)
        .append(",\"choices\":[{\"index\":")
        .append(index)
        .append(",\"delta\":{");
  }

  /** Ends a chunk begun by {@link #choice}, with a finish reason or none. */
  public void end(String finishReason) {
    end(finishReason, null);
  }

  /** Closes the choice, with its {@code logprobs} (JSON) when there are some. */
  public void end(String finishReason, String logprobsJson) {
    out.append('}');
    if (logprobsJson != null) {
      out.append(",\"logprobs\":").append(logprobsJson);
    }
    if (finishReason != null) {
      out.append(",\"finish_reason\":");
      JsonText.quote(out, finishReason);
    }
    out.append("}]}\n\n");
  }

  /** A chunk with no choices and {@code usageJson} as its {@code usage}. */
  public void usage(String usageJson) {
    out.append(envelope).append(",\"choices\":[],\"usage\":").append(usageJson).append("}\n\n");
  }

  /** An error event for a failure in the middle of a stream. */
  public void error(String type, String message) {
    out.append("data: {\"error\":{\"type\":");
    JsonText.quote(out, type);
    out.append(",\"message\":");
    JsonText.quote(out, message);
    out.append("}}\n\n");
  }

  /** OpenAI's end-of-stream marker. */
  public void done() {
    out.append("data: [DONE]\n\n");
  }

  /** What was written since the last call, as UTF-8; the writer is emptied. */
  public byte[] take() {
    if (out.length() == 0) {
      return new byte[0];
    }
    byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
    out.setLength(0);
    return bytes;
  }

  /** OpenAI usage JSON: prompt includes cached and cache-creation tokens for explicit caches. */
  public static String usageJson(
      long prompt, long completion, long total, Long cached, Long cacheCreation, Long reasoning) {
    StringBuilder u =
        new StringBuilder(128)
            .append("{\"prompt_tokens\":")
            .append(prompt)
            .append(",\"completion_tokens\":")
            .append(completion)
            .append(",\"total_tokens\":")
            .append(total);
    if (cached != null || cacheCreation != null) {
      u.append(",\"prompt_tokens_details\":{");
      boolean comma = false;
      if (cached != null) {
        u.append("\"cached_tokens\":").append(cached);
        comma = true;
      }
      if (cacheCreation != null) {
        u.append(comma ? "," : "").append("\"cache_creation_input_tokens\":").append(cacheCreation);
      }
      u.append('}');
    }
    if (reasoning != null) {
      u.append(",\"completion_tokens_details\":{\"reasoning_tokens\":")
          .append(reasoning)
          .append('}');
    }
    return u.append('}').toString();
  }
}
