package io.aigw.core.codec;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalJsonTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\":1,\"b\":[true,null,{\"c\":\"d\"}]}",
        "[]",
        "\"text\"",
        "42",
        "",
        "{\"a\":1} trailing text is ignored, as read ignores it"
      })
  void checkAcceptsWhatReadAccepts(String json) {
    assertThatCode(() -> CanonicalJson.read(json)).doesNotThrowAnyException();
    assertThatCode(() -> CanonicalJson.check(json)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1", "{\"a\" 1}", "[1,,2]", "{\"a\":01}", "{a:1}", "nul"})
  void checkFailsWhereReadFailsWithTheSameMessage(String json) {
    String message = null;
    try {
      CanonicalJson.read(json);
    } catch (IllegalArgumentException e) {
      message = e.getMessage();
    }
    String expected = message;
    assertThatThrownBy(() -> CanonicalJson.check(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(expected)
        .hasMessageStartingWith("not JSON: ");
  }
}
