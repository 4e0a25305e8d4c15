package io.aigw.core.filterconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiPathsTest {

  @Test
  void theDefaultsServeUpstreamsPaths() {
    ApiPaths paths = ApiPaths.DEFAULT;
    assertThat(paths.pathOf(ApiFamily.OPENAI, "/v1/chat/completions"))
        .isEqualTo("/v1/chat/completions");
    assertThat(paths.pathOf(ApiFamily.COHERE, "/v2/rerank")).isEqualTo("/cohere/v2/rerank");
    assertThat(paths.pathOf(ApiFamily.ANTHROPIC, "/v1/messages"))
        .isEqualTo("/anthropic/v1/messages");
    assertThat(ApiPaths.parse("/", "openai:/,cohere:/cohere,anthropic:/anthropic"))
        .isEqualTo(ApiPaths.DEFAULT);
    assertThat(new ApiPaths(null, null)).isEqualTo(ApiPaths.DEFAULT);
  }

  @Test
  void theRootGoesBeforeEveryFamilysPrefix() {
    ApiPaths paths = ApiPaths.parse("/ai", "");
    assertThat(paths.pathOf(ApiFamily.OPENAI, "/v1/embeddings")).isEqualTo("/ai/v1/embeddings");
    assertThat(paths.pathOf(ApiFamily.OPENAI, "/tokenize")).isEqualTo("/ai/tokenize");
    assertThat(paths.pathOf(ApiFamily.COHERE, "/v2/rerank")).isEqualTo("/ai/cohere/v2/rerank");
    assertThat(paths).isNotEqualTo(ApiPaths.DEFAULT);
  }

  @Test
  void aFamilyNotNamedKeepsItsDefault() {
    ApiPaths paths = ApiPaths.parse("/", " anthropic : /claude ");
    assertThat(paths.endpointPrefixes())
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of("anthropic", "/claude", "cohere", "/cohere", "openai", "/")));
    assertThat(paths.pathOf(ApiFamily.ANTHROPIC, "/v1/messages")).isEqualTo("/claude/v1/messages");
  }

  @ParameterizedTest
  @CsvSource({
    "/ai/, /ai",
    "ai, /ai",
    "//ai//v2/, /ai/v2",
    "'', /",
    "/, /",
    "/v1:beta/~x, /v1:beta/~x",
  })
  void prefixesAreCleanedSoEqualSettingsAreEqualConfigs(String given, String clean) {
    assertThat(ApiPaths.parse(given, "").rootPrefix()).isEqualTo(clean);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/a b | rootPrefix '/a b' is not a URL path",
        "/ai?x=1 | rootPrefix '/ai?x=1' is not a URL path",
        "/ai/../x | rootPrefix '/ai/../x' has a '..' segment",
        "/a%2Fb | rootPrefix '/a%2Fb' is not a URL path",
        "/caf%C3%A9 | rootPrefix '/caf%C3%A9' is not a URL path",
      })
  void aRootThatIsNoCleanPathIsRefusedNamingIt(String given, String message) {
    assertThatThrownBy(() -> ApiPaths.parse(given, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void endpointPrefixesAreRefusedWhenMalformedUnknownOrRepeated() {
    assertThatThrownBy(() -> ApiPaths.parse("/", "openai"))
        .hasMessageContaining("'openai' is not <family>:<prefix>");
    assertThatThrownBy(() -> ApiPaths.parse("/", "gemini:/g"))
        .hasMessage("unknown API family 'gemini' (openai, cohere or anthropic)");
    assertThatThrownBy(() -> ApiPaths.parse("/", "openai:/a,openai:/b"))
        .hasMessage("endpoint prefix of openai is given twice");
    assertThatThrownBy(() -> ApiPaths.parse("/", "cohere:/c h"))
        .hasMessageStartingWith("endpointPrefixes.cohere '/c h' is not a URL path");
    assertThatThrownBy(() -> ApiPaths.parse("/", "cohere:"))
        .hasMessage("endpoint prefix of cohere is empty; write / to serve it at the root");
  }

  @Test
  void aConfigNamingAFamilyThisReleaseDoesNotKnowKeepsTheOthers() {
    ApiPaths paths = new ApiPaths("/ai", Map.of("gemini", "/g", "anthropic", "/claude"));
    assertThat(paths.endpointPrefixes())
        .containsOnlyKeys("anthropic", "cohere", "openai")
        .containsEntry("anthropic", "/claude");
  }
}
