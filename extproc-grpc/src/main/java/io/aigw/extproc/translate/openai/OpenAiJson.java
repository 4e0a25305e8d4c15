package io.aigw.extproc.translate.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The JSON codec of the OpenAI translators. Limits are lifted so a 50 MiB body with a large base64
 * image parses; decimals stay exact so a rewritten body says what the client wrote.
 */
public final class OpenAiJson {

  /** Bodies the gateway accepts (Envoy's buffer limit is set to the same). */
  public static final int MAX_BODY_BYTES = 50 * 1024 * 1024;

  public static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxNestingDepth(1000)
                  .build())
          .build();

  public static final ObjectMapper MAPPER =
      new ObjectMapper(FACTORY)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  private OpenAiJson() {}
}
