package io.aigw.extproc.translate.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.extproc.translate.ChatRequests;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.openai.OpenAiJson;
import java.util.ArrayList;
import java.util.List;

/**
 * The body Vertex AI takes for an OpenAI embeddings request, in either of its two forms. Beside
 * OpenAI's fields the request may carry Vertex's own, as upstream accepts them: {@code task_type},
 * {@code title} and {@code auto_truncate} at the top, and input items {@code {"content",
 * "task_type", "title"}}.
 */
final class VertexEmbeddingRequests {

  private static final String RETRIEVAL_DOCUMENT = "RETRIEVAL_DOCUMENT";

  private VertexEmbeddingRequests() {}

  /**
   * Whether {@code model} is embedded through {@code :embedContent}: Gemini's embedding models
   * after {@code gemini-embedding-001}, which {@code :predict} does not serve.
   */
  static boolean usesEmbedContent(String model) {
    return model.contains("gemini") && !model.equals("gemini-embedding-001");
  }

  /** {@code :predict}: one instance per text; a top-level task type or title applies to all. */
  static ObjectNode predict(ObjectNode embeddings) throws InvalidRequestException {
    ObjectNode body = OpenAiJson.MAPPER.createObjectNode();
    ArrayNode instances = body.putArray("instances");
    String taskType = embeddings.path("task_type").asText("");
    String title = embeddings.path("title").asText("");
    for (ObjectNode instance : instances(embeddings.get("input"))) {
      if (!taskType.isEmpty()) {
        instance.put("task_type", taskType);
      }
      if (!title.isEmpty()) {
        instance.put("title", title);
      }
      instances.add(instance);
    }
    ObjectNode parameters = OpenAiJson.MAPPER.createObjectNode();
    if (embeddings.path("dimensions").canConvertToInt()) {
      parameters.put("outputDimensionality", embeddings.get("dimensions").asInt());
    }
    if (embeddings.path("auto_truncate").isBoolean()) {
      parameters.put("auto_truncate", embeddings.get("auto_truncate").asBoolean());
    }
    if (!parameters.isEmpty()) {
      body.set("parameters", parameters);
    }
    return body;
  }

  /**
   * {@code :embedContent}: one content, so one text, or the user messages' text and images when the
   * request gives {@code messages} in place of {@code input} (a multimodal embedding).
   */
  static ObjectNode embedContent(ObjectNode embeddings, String model)
      throws InvalidRequestException {
    ObjectNode body = OpenAiJson.MAPPER.createObjectNode();
    ArrayNode parts = body.putObject("content").putArray("parts");
    if (embeddings.has("messages")) {
      for (JsonNode message : embeddings.path("messages")) {
        if ("user".equals(message.path("role").asText())) {
          GeminiRequests.userParts(message.get("content"), parts, model);
        }
      }
      if (parts.isEmpty()) {
        throw ChatRequests.unsupported("the embedding request's messages have no user content");
      }
    } else {
      parts.addObject().put("text", oneText(embeddings.get("input"), model));
    }
    ObjectNode config = OpenAiJson.MAPPER.createObjectNode();
    if (embeddings.path("dimensions").canConvertToInt()) {
      config.put("outputDimensionality", embeddings.get("dimensions").asInt());
    }
    if (embeddings.path("auto_truncate").isBoolean()) {
      config.put("autoTruncate", embeddings.get("auto_truncate").asBoolean());
    }
    copyText(embeddings, "task_type", config, "taskType");
    copyText(embeddings, "title", config, "title");
    if (!config.isEmpty()) {
      body.set("embedContentConfig", config);
    }
    return body;
  }

  private static String oneText(JsonNode input, String model) throws InvalidRequestException {
    if (input != null && input.isTextual()) {
      return input.asText();
    }
    if (input != null && input.isArray() && input.size() == 1 && input.get(0).isTextual()) {
      return input.get(0).asText();
    }
    if (input != null && input.isArray() && input.size() > 1) {
      throw ChatRequests.unsupported(
          model + " embeds one input per request on Vertex AI: send the texts one at a time");
    }
    throw ChatRequests.unsupported(
        model
            + " on Vertex AI embeds a string input, or user messages; input items with their"
            + " own task_type belong at the request's top level");
  }

  /** Texts as instances: strings, or items whose {@code content} is a string or strings. */
  private static List<ObjectNode> instances(JsonNode input) throws InvalidRequestException {
    List<ObjectNode> instances = new ArrayList<>();
    if (input != null && input.isTextual()) {
      instances.add(instance(input.asText()));
    } else if (input != null && input.isObject()) {
      addItem(input, instances);
    } else if (input != null && input.isArray()) {
      for (JsonNode element : input) {
        if (element.isTextual()) {
          instances.add(instance(element.asText()));
        } else if (element.isObject()) {
          addItem(element, instances);
        } else {
          throw notTexts();
        }
      }
    }
    if (instances.isEmpty()) {
      throw notTexts();
    }
    return instances;
  }

  /** An item's texts; its title goes with a document only, as Vertex allows. */
  private static void addItem(JsonNode item, List<ObjectNode> instances)
      throws InvalidRequestException {
    JsonNode content = item.get("content");
    List<String> texts = new ArrayList<>();
    if (content != null && content.isTextual()) {
      texts.add(content.asText());
    } else if (content != null && content.isArray() && !content.isEmpty()) {
      for (JsonNode text : content) {
        if (!text.isTextual()) {
          throw notTexts();
        }
        texts.add(text.asText());
      }
    } else {
      throw notTexts();
    }
    String taskType = item.path("task_type").asText("");
    for (String text : texts) {
      ObjectNode instance = instance(text);
      if (!taskType.isEmpty()) {
        instance.put("task_type", taskType);
      }
      if (RETRIEVAL_DOCUMENT.equals(taskType) && !item.path("title").asText("").isEmpty()) {
        instance.put("title", item.get("title").asText());
      }
      instances.add(instance);
    }
  }

  private static ObjectNode instance(String text) {
    return OpenAiJson.MAPPER.createObjectNode().put("content", text);
  }

  private static InvalidRequestException notTexts() {
    return ChatRequests.unsupported(
        "Vertex AI embeds texts: input must be a string, a list of strings, or items with a"
            + " string content");
  }

  private static void copyText(JsonNode from, String name, ObjectNode to, String as) {
    String value = from.path(name).asText("");
    if (!value.isEmpty()) {
      to.put(as, value);
    }
  }
}
