package io.aigw.admin.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonDiffTest {

  private static JsonNode json(String text) {
    return CanonicalJson.read(text);
  }

  @Test
  void namesEachChangedFieldByItsPath() {
    List<FieldChange> changes =
        JsonDiff.between(
            json("{\"spec\":{\"rules\":[{\"w\":1},{\"w\":2}],\"old\":true},\"a.b\":1}"),
            json("{\"spec\":{\"rules\":[{\"w\":1},{\"w\":3},{\"w\":4}],\"new\":\"x\"},\"a.b\":2}"));
    assertThat(changes)
        .extracting(FieldChange::path, FieldChange::op)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("[\"a.b\"]", "changed"),
            org.assertj.core.groups.Tuple.tuple("spec.new", "added"),
            org.assertj.core.groups.Tuple.tuple("spec.old", "removed"),
            org.assertj.core.groups.Tuple.tuple("spec.rules[1].w", "changed"),
            org.assertj.core.groups.Tuple.tuple("spec.rules[2]", "added"));
    assertThat(changes.get(3).from().asInt()).isEqualTo(2);
    assertThat(changes.get(3).to().asInt()).isEqualTo(3);
  }

  @Test
  void equalTreesHaveNoChangesAndAbsentSidesAreWholeObjects() {
    assertThat(JsonDiff.between(json("{\"a\":[1]}"), json("{\"a\":[1]}"))).isEmpty();
    assertThat(JsonDiff.between(null, json("{\"a\":1}")))
        .singleElement()
        .extracting(FieldChange::path, FieldChange::op)
        .containsExactly("(object)", "added");
    assertThat(JsonDiff.between(json("{\"a\":1}"), null))
        .singleElement()
        .extracting(FieldChange::op)
        .isEqualTo("removed");
    assertThat(JsonDiff.between(json("{\"a\":1}"), json("[1]"))).hasSize(1);
  }

  @Test
  void stopsListingAtTheCap() {
    StringBuilder before = new StringBuilder("{");
    StringBuilder after = new StringBuilder("{");
    for (int i = 0; i < JsonDiff.MAX_CHANGES + 50; i++) {
      before.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":0");
      after.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
    }
    assertThat(JsonDiff.between(json(before + "}"), json(after + "}")))
        .hasSize(JsonDiff.MAX_CHANGES);
  }
}
