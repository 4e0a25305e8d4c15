package io.aigw.extproc.translate.gcp;

import static io.aigw.extproc.translate.TranslatorHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GeminiSchemaTest {

  @Test
  void aNullableEnumIsNullableAndAnEnumOfNullAloneIsNoEnum() throws Exception {
    assertThat(GeminiSchema.of(json("{\"type\":[\"string\",\"null\"],\"enum\":[\"x\",null]}")))
        .isEqualTo(json("{\"type\":\"STRING\",\"nullable\":true,\"enum\":[\"x\"]}"));
    assertThat(GeminiSchema.of(json("{\"enum\":[null]}")))
        .as("Vertex refuses an empty enum")
        .isEqualTo(json("{\"nullable\":true}"));
  }
}
