package io.aigw.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonScanTest {

  private static final String OBJECT =
      "{\"apiVersion\":\"aigateway.envoyproxy.io/v1beta1\",\"kind\":\"AIGatewayRoute\","
          + "\"metadata\":{\"name\":\"r-1\",\"namespace\":\"ns-0\",\"generation\":3,"
          + "\"labels\":{\"a\\\"b\":\"c\\\\d\\u00e9\\n\"}},\"spec\":{\"rules\":[{\"backendRefs\":"
          + "[{\"name\":\"b\",\"weight\":-1.5e+3,\"priority\":0}],\"on\":true,\"off\":false,"
          + "\"none\":null,\"empty\":[],\"nothing\":{}}],\"text\":\"caf\u00e9 \u00ff\"}}";

  @ParameterizedTest
  @ValueSource(
      strings = {
        OBJECT,
        "{}",
        "[]",
        " \n\t{ \"a\" : [ 1 , 2.0 , -0 , 0.5E-2 ] }\r\n",
        "{\"a\":1} trailing text is not read",
        "[\"\\/\\b\\f\\r\\t\\uABCD\"]"
      })
  void vouchesForTheJsonOurWatchersWrite(String json) {
    assertThat(StrictJsonScan.certainlyJson(json)).isTrue();
    assertThatCode(() -> CanonicalJson.read(json)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "42",
        "\"text\"",
        "{\"a\":1",
        "{\"a\" 1}",
        "[1,,2]",
        "[1,]",
        "{\"a\":01}",
        "{a:1}",
        "[nul]",
        "[truex]",
        "[1.]",
        "[.5]",
        "[+1]",
        "[\"\\x\"]",
        "[\"\\u12G4\"]",
        "[\"tab\there\"]",
        "[/* comment */ 1]",
        "['single']",
        "[\"beyond Latin-1: \u4e2d\"]",
        "[\"a question mark?\"]"
      })
  void leavesEverythingElseToJackson(String json) {
    assertThat(StrictJsonScan.certainlyJson(json)).isFalse();
  }

  @Test
  void neverVouchesForTextJacksonRejects() {
    SplittableRandom random = new SplittableRandom(11);
    String alphabet = "{}[]\":,.-+eE0123456789tfnul \\/x\u00e9";
    int vouched = 0;
    for (int round = 0; round < 30_000; round++) {
      StringBuilder text = new StringBuilder(OBJECT);
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(text.length());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
          case 0 -> text.deleteCharAt(at);
          case 1 -> text.insert(at, c);
          default -> text.setCharAt(at, c);
        }
      }
      String json = text.toString();
      if (StrictJsonScan.certainlyJson(json)) {
        vouched++;
        assertThatCode(() -> CanonicalJson.read(json)).as(json).doesNotThrowAnyException();
      }
    }
    // the edits must leave both verdicts common, or the comparison proves little
    assertThat(vouched).isBetween(3_000, 27_000);
  }
}
