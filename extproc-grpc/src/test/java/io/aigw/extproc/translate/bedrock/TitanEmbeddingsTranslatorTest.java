package io.aigw.extproc.translate.bedrock;

import static io.aigw.extproc.translate.TranslatorHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.TranslatorHarness;
import io.aigw.extproc.translate.UpstreamRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TitanEmbeddingsTranslatorTest {

  private static final ApiSchema BEDROCK = new ApiSchema(ApiSchema.Name.AWSBedrock, null, null);
  private static final String TITAN = "{\"embedding\":[0.25,-0.5],\"inputTextTokenCount\":4}";

  private static TitanEmbeddingsTranslator started(String body) throws Exception {
    var t = new TitanEmbeddingsTranslator();
    t.request(
        TranslatorHarness.parse(Endpoint.EMBEDDINGS, body),
        TranslatorHarness.plan(BEDROCK, null, null));
    t.responseHeaders(200, Map.of("content-type", "application/json"));
    return t;
  }

  @Test
  void oneTextGoesToTitanAndComesBackAsOpenAisListWithItsTokens() throws Exception {
    UpstreamRequest upstream =
        new TitanEmbeddingsTranslator()
            .request(
                TranslatorHarness.parse(
                    Endpoint.EMBEDDINGS,
                    "{\"model\":\"amazon.titan-embed-text-v2:0\",\"input\":[\"hi\"],\"dimensions\":256}"),
                TranslatorHarness.plan(BEDROCK, null, null));
    assertThat(upstream.path()).isEqualTo("/model/amazon.titan-embed-text-v2:0/invoke");
    assertThat(TranslatorHarness.body(upstream))
        .isEqualTo(json("{\"inputText\":\"hi\",\"dimensions\":256}"));

    var t = started("{\"model\":\"amazon.titan-embed-text-v2:0\",\"input\":\"hi\"}");
    assertThat(json(TranslatorHarness.feed(t, TITAN.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(
            json(
                "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                    + "\"embedding\":[0.25,-0.5]}],\"model\":\"amazon.titan-embed-text-v2:0\","
                    + "\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}"));
    assertThat(t.usage().input()).hasValue(4);
  }

  @Test
  void base64AsOpenAiSdksAskIsLittleEndianFloat32() throws Exception {
    var t = started("{\"model\":\"m\",\"input\":\"hi\",\"encoding_format\":\"base64\"}");
    String encoded =
        json(TranslatorHarness.feed(t, TITAN.getBytes(StandardCharsets.UTF_8)))
            .at("/data/0/embedding")
            .asText();
    ByteBuffer floats =
        ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(floats.getFloat()).isEqualTo(0.25f);
    assertThat(floats.getFloat()).isEqualTo(-0.5f);
    assertThat(floats.hasRemaining()).isFalse();
  }

  @Test
  void aBatchIsA422TitanEmbedsOneText() {
    for (String input : new String[] {"[\"a\",\"b\"]", "[[1,2]]", "[]"}) {
      assertThatThrownBy(() -> started("{\"model\":\"m\",\"input\":" + input + "}"))
          .as(input)
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("one text per request");
    }
  }

  @Test
  void bedrocksErrorsAreOpenAiShapedTypedByTheirHeader() throws Exception {
    var t = new TitanEmbeddingsTranslator();
    t.responseHeaders(
        429, Map.of("content-type", "application/json", "x-amzn-errortype", "ThrottlingException"));
    assertThat(json(TranslatorHarness.error(t, 429, "{\"message\":\"slow down\"}")))
        .isEqualTo(
            json(
                "{\"type\":\"error\",\"error\":{\"type\":\"ThrottlingException\",\"code\":\"429\","
                    + "\"message\":\"slow down\"}}"));
  }
}
