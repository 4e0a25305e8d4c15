package io.aigw.extproc.translate.gcp;

import static io.aigw.extproc.translate.TranslatorHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.extproc.translate.EmbeddingList;
import io.aigw.extproc.translate.Endpoint;
import io.aigw.extproc.translate.InvalidRequestException;
import io.aigw.extproc.translate.TranslatorHarness;
import io.aigw.extproc.translate.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VertexEmbeddingsTranslatorTest {

  private static final ApiSchema VERTEX = new ApiSchema(ApiSchema.Name.GCPVertexAI, null, null);
  private static final BackendAuth.Gcp GCP =
      new BackendAuth.Gcp("my-project", "us-central1", null, null);
  private static final String PREDICTIONS =
      "{\"predictions\":[{\"embeddings\":{\"values\":[0.5,-0.25],\"statistics\":"
          + "{\"token_count\":3,\"truncated\":false}}},{\"embeddings\":{\"values\":[1.0,0.0],"
          + "\"statistics\":{\"token_count\":2,\"truncated\":false}}}]}";

  private static VertexEmbeddingsTranslator started(String body) throws Exception {
    var t = new VertexEmbeddingsTranslator();
    t.request(
        TranslatorHarness.parse(Endpoint.EMBEDDINGS, body),
        TranslatorHarness.plan(VERTEX, null, GCP));
    t.responseHeaders(200, Map.of("content-type", "application/json"));
    return t;
  }

  @Test
  void textsArePredictedOneInstanceEachAndComeBackAsOpenAisListWithTheirTokens() throws Exception {
    UpstreamRequest upstream =
        new VertexEmbeddingsTranslator()
            .request(
                TranslatorHarness.parse(
                    Endpoint.EMBEDDINGS,
                    "{\"model\":\"text-embedding-005\",\"input\":[\"a\",\"b\"],\"dimensions\":256}"),
                TranslatorHarness.plan(VERTEX, null, GCP));
    assertThat(upstream.path())
        .isEqualTo(
            "/v1/projects/my-project/locations/us-central1/publishers/google/models/"
                + "text-embedding-005:predict");
    assertThat(TranslatorHarness.body(upstream))
        .isEqualTo(
            json(
                "{\"instances\":[{\"content\":\"a\"},{\"content\":\"b\"}],"
                    + "\"parameters\":{\"outputDimensionality\":256}}"));

    var t = started("{\"model\":\"text-embedding-005\",\"input\":[\"a\",\"b\"]}");
    assertThat(json(TranslatorHarness.feed(t, PREDICTIONS.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(
            json(
                "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                    + "\"embedding\":[0.5,-0.25]},{\"object\":\"embedding\",\"index\":1,"
                    + "\"embedding\":[1.0,0.0]}],\"model\":\"text-embedding-005\","
                    + "\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}"));
    assertThat(t.usage().input()).hasValue(5);

    var encoded = started("{\"model\":\"m\",\"input\":\"a\",\"encoding_format\":\"base64\"}");
    assertThat(
            json(TranslatorHarness.feed(encoded, PREDICTIONS.getBytes(StandardCharsets.UTF_8)))
                .at("/data/0/embedding")
                .asText())
        .isEqualTo(EmbeddingList.base64(json("[0.5,-0.25]")));
  }

  @Test
  void tokenArraysAreA422AndVertexErrorsTakeTheirStatusName() throws Exception {
    assertThatThrownBy(() -> started("{\"model\":\"m\",\"input\":[[1,2,3]]}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("input must be a string, a list of strings");
    var t = new VertexEmbeddingsTranslator();
    t.responseHeaders(400, Map.of("content-type", "application/json"));
    assertThat(
            json(
                TranslatorHarness.error(
                    t,
                    400,
                    "{\"error\":{\"code\":400,\"message\":\"bad\",\"status\":\"INVALID_ARGUMENT\"}}")))
        .isEqualTo(
            json(
                "{\"type\":\"error\",\"error\":{\"type\":\"INVALID_ARGUMENT\",\"code\":\"400\","
                    + "\"message\":\"bad\"}}"));
  }

  private static UpstreamRequest sent(String body) throws Exception {
    return new VertexEmbeddingsTranslator()
        .request(
            TranslatorHarness.parse(Endpoint.EMBEDDINGS, body),
            TranslatorHarness.plan(VERTEX, null, GCP));
  }

  @Test
  void vertexsOwnFieldsReachPredictWithTheRequestsTaskTypeOverTheItemsAndTitlesOnDocuments()
      throws Exception {
    UpstreamRequest upstream =
        sent(
            "{\"model\":\"gemini-embedding-001\",\"auto_truncate\":false,\"input\":["
                + "{\"content\":\"doc\",\"task_type\":\"RETRIEVAL_DOCUMENT\",\"title\":\"T\"},"
                + "{\"content\":[\"q1\",\"q2\"],\"task_type\":\"RETRIEVAL_QUERY\","
                + "\"title\":\"dropped\"},\"plain\"]}");
    assertThat(upstream.path()).endsWith("/models/gemini-embedding-001:predict");
    assertThat(TranslatorHarness.body(upstream))
        .isEqualTo(
            json(
                "{\"instances\":[{\"content\":\"doc\",\"task_type\":\"RETRIEVAL_DOCUMENT\","
                    + "\"title\":\"T\"},{\"content\":\"q1\",\"task_type\":\"RETRIEVAL_QUERY\"},"
                    + "{\"content\":\"q2\",\"task_type\":\"RETRIEVAL_QUERY\"},"
                    + "{\"content\":\"plain\"}],\"parameters\":{\"auto_truncate\":false}}"));

    assertThat(
            TranslatorHarness.body(
                sent(
                    "{\"model\":\"text-embedding-005\",\"task_type\":\"CLUSTERING\","
                        + "\"input\":[{\"content\":\"a\",\"task_type\":\"RETRIEVAL_QUERY\"}]}")))
        .isEqualTo(json("{\"instances\":[{\"content\":\"a\",\"task_type\":\"CLUSTERING\"}]}"));
  }

  @Test
  void laterGeminiEmbeddingModelsEmbedOneContentWithTheirConfigAndSayWhenTheTextWasCut()
      throws Exception {
    UpstreamRequest upstream =
        sent(
            "{\"model\":\"gemini-embedding-2\",\"input\":[\"only\"],\"dimensions\":8,"
                + "\"task_type\":\"RETRIEVAL_DOCUMENT\",\"title\":\"T\",\"auto_truncate\":true}");
    assertThat(upstream.path())
        .isEqualTo(
            "/v1/projects/my-project/locations/us-central1/publishers/google/models/"
                + "gemini-embedding-2:embedContent");
    assertThat(TranslatorHarness.body(upstream))
        .isEqualTo(
            json(
                "{\"content\":{\"parts\":[{\"text\":\"only\"}]},\"embedContentConfig\":"
                    + "{\"outputDimensionality\":8,\"autoTruncate\":true,"
                    + "\"taskType\":\"RETRIEVAL_DOCUMENT\",\"title\":\"T\"}}"));

    var t = started("{\"model\":\"gemini-embedding-2\",\"input\":\"only\"}");
    String embedded =
        "{\"embedding\":{\"values\":[0.5,-0.25]},\"truncated\":true,"
            + "\"usageMetadata\":{\"promptTokenCount\":7,\"totalTokenCount\":7}}";
    assertThat(json(TranslatorHarness.feed(t, embedded.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(
            json(
                "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                    + "\"embedding\":[0.5,-0.25],\"truncated\":true}],"
                    + "\"model\":\"gemini-embedding-2\","
                    + "\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7}}"));
    assertThat(t.usage().input()).hasValue(7);
  }

  @Test
  void userMessagesEmbedAsOneMultimodalContentAndOnlyGeminiModelsTakeThem() throws Exception {
    UpstreamRequest upstream =
        sent(
            "{\"model\":\"gemini-embedding-2\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"ignored\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a cat\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]}]}");
    assertThat(TranslatorHarness.body(upstream))
        .isEqualTo(
            json(
                "{\"content\":{\"parts\":[{\"text\":\"a cat\"},{\"inlineData\":"
                    + "{\"mimeType\":\"image/png\",\"data\":\"AAAA\"}}]}}"));

    assertThatThrownBy(
            () ->
                sent(
                    "{\"model\":\"text-embedding-005\",\"messages\":"
                        + "[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("embeds texts only");
    assertThatThrownBy(
            () ->
                sent(
                    "{\"model\":\"gemini-embedding-2\",\"messages\":"
                        + "[{\"role\":\"system\",\"content\":\"x\"}]}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("no user content");
    assertThatThrownBy(
            () ->
                sent(
                    "{\"model\":\"gemini-embedding-2\",\"input\":"
                        + "[{\"content\":\"x\",\"task_type\":\"CLUSTERING\"}]}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at the request's top level");
  }
}
