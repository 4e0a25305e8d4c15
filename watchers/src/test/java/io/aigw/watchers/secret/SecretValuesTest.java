package io.aigw.watchers.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretValuesTest {

  final SecretValues values = new SecretValues();

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void returnsTheValueOfAKeyAndNothingForUnknownOnes() {
    values.put("default", "openai", Map.of("apiKey", bytes("sk-1")));

    assertThat(values.get("default", "openai", "apiKey")).hasValue(bytes("sk-1"));
    assertThat(values.text("default", "openai", "apiKey")).hasValue("sk-1");
    assertThat(values.get("default", "openai", "other")).isEmpty();
    assertThat(values.get("other", "openai", "apiKey")).isEmpty();
    assertThat(values.keys("default", "openai")).containsExactly("apiKey");
    assertThat(values.keys("default", "missing")).isEmpty();
  }

  @Test
  void aPutReplacesEveryKeyAndARemoveForgetsTheSecret() {
    values.put("default", "s", Map.of("a", bytes("1"), "b", bytes("2")));
    values.put("default", "s", Map.of("c", bytes("3")));

    assertThat(values.keys("default", "s")).containsExactly("c");
    assertThat(values.size()).isEqualTo(1);

    values.remove("default", "s");
    assertThat(values.contains("default", "s")).isFalse();
    assertThat(values.size()).isZero();
  }

  @Test
  void valuesAreCopiedInAndOut() {
    byte[] given = bytes("sk-1");
    values.put("default", "s", Map.of("k", given));
    given[0] = 'X';
    values.get("default", "s", "k").orElseThrow()[1] = 'X';

    assertThat(values.get("default", "s", "k")).hasValue(bytes("sk-1"));
  }

  @Test
  void toStringPrintsNoValue() {
    values.put("default", "s", Map.of("k", bytes("sk-visible")));

    assertThat(values.toString()).doesNotContain("sk-visible").contains("1 secrets");
  }

  @Test
  void aSnapshotKeepsWhatWasHeldAndPutAllThenRetainAllTakeIt() {
    SecretValues scanned = new SecretValues();
    SecretValues served = new SecretValues();
    served.put("default", "gone", Map.of("apiKey", "old".getBytes(StandardCharsets.UTF_8)));
    served.put("default", "kept", Map.of("apiKey", "v1".getBytes(StandardCharsets.UTF_8)));
    scanned.put("default", "kept", Map.of("apiKey", "v2".getBytes(StandardCharsets.UTF_8)));
    scanned.put("default", "new", Map.of("apiKey", "n".getBytes(StandardCharsets.UTF_8)));

    SecretValues snapshot = scanned.snapshot();
    // the next scan reads ahead: the snapshot stays as it was
    scanned.remove("default", "new");
    served.putAll(snapshot);

    assertThat(served.text("default", "kept", "apiKey")).contains("v2");
    assertThat(served.text("default", "new", "apiKey")).contains("n");
    assertThat(served.contains("default", "gone")).as("until retainAll").isTrue();
    served.retainAll(snapshot);
    assertThat(served.contains("default", "gone")).isFalse();
    assertThat(served.size()).isEqualTo(2);
  }
}
