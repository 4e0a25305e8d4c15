package io.aigw.extproc.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigw.core.filterconfig.Model;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelListTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Route route(String name, Model... models) {
    return new Route("default", name, List.of(), List.of(), List.of(), List.of(models), "", "", "");
  }

  @Test
  void theAnthropicListHasOneModelEntryPerNameWithRfc3339CreationAndTheEndIds() throws Exception {
    JsonNode list =
        JSON.readTree(
            ModelList.anthropicBody(
                List.of(
                    route(
                        "a",
                        new Model("claude-sonnet-4-5", "anthropic", "2025-09-29T00:00:00Z"),
                        new Model("gemini-2.5-flash", "google", "2025-06-17T12:30:05+02:00")),
                    route(
                        "b",
                        new Model("claude-sonnet-4-5", "anthropic", "2025-01-01T00:00:00Z"),
                        new Model("claude-haiku-4-5", "anthropic", "not a time")))));

    assertThat(list.get("data"))
        .extracting(JsonNode::toString)
        .containsExactly(
            "{\"type\":\"model\",\"id\":\"claude-sonnet-4-5\",\"display_name\":"
                + "\"claude-sonnet-4-5\",\"created_at\":\"2025-09-29T00:00:00Z\"}",
            "{\"type\":\"model\",\"id\":\"gemini-2.5-flash\",\"display_name\":"
                + "\"gemini-2.5-flash\",\"created_at\":\"2025-06-17T10:30:05Z\"}",
            "{\"type\":\"model\",\"id\":\"claude-haiku-4-5\",\"display_name\":"
                + "\"claude-haiku-4-5\",\"created_at\":\"1970-01-01T00:00:00Z\"}");
    assertThat(list.get("has_more").asBoolean(true)).isFalse();
    assertThat(list.get("first_id").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(list.get("last_id").asText()).isEqualTo("claude-haiku-4-5");
  }

  @Test
  void anEmptyAnthropicListLeavesOutTheEndIds() throws Exception {
    JsonNode list = JSON.readTree(ModelList.anthropicBody(List.of(route("a"))));

    assertThat(list.toString()).isEqualTo("{\"data\":[],\"has_more\":false}");
  }

  @Test
  void theOpenAiListKeepsItsOwnShapeOverTheSameRoutes() throws Exception {
    JsonNode list =
        JSON.readTree(
            ModelList.body(List.of(route("a", new Model("m", "owner", "2024-07-18T00:00:00Z")))));

    assertThat(list.toString())
        .isEqualTo(
            "{\"object\":\"list\",\"data\":[{\"id\":\"m\",\"object\":\"model\","
                + "\"owned_by\":\"owner\",\"created\":1721260800}]}");
  }
}
