package io.aigw.deploy.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import org.junit.jupiter.api.Test;

class AppliedObjectTest {

  static JsonNode json(String text) {
    return CanonicalJson.read(text.replace('\'', '"'));
  }

  static final JsonNode DESIRED =
      json(
          "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','namespace':'n',"
              + "'labels':{'app.kubernetes.io/managed-by':'aigw'}},'data':{'k':'v'}}");

  @Test
  void theBodyCarriesTheHashOfTheDesiredObjectAndLeavesItUnchanged() {
    AppliedObject applied = AppliedObject.of(DESIRED);
    assertThat(AppliedObject.hashOn(applied.body())).isEqualTo(applied.hash()).hasSize(64);
    assertThat(DESIRED.at("/metadata/annotations").isMissingNode()).isTrue();
    assertThat(AppliedObject.of(json(DESIRED.toString())).hash()).isEqualTo(applied.hash());
  }

  @Test
  void aLiveObjectWithAnOlderHashDoesNotMatchEvenWhenItsFieldsCoverTheDesiredOnes() {
    AppliedObject applied = AppliedObject.of(DESIRED);
    ObjectNode live = applied.body().deepCopy();
    assertThat(applied.matches(live)).isTrue();
    ((ObjectNode) live.at("/metadata/annotations")).put(AppliedObject.HASH_ANNOTATION, "older");
    assertThat(applied.matches(live)).isFalse();
  }

  @Test
  void anUpdateKeepsTheServersFieldsAndOtherWritersLabelsUnderTheLiveVersion() {
    JsonNode live =
        json(
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','namespace':'n','uid':'u',"
                + "'resourceVersion':'42','labels':{'team':'x','app.kubernetes.io/managed-by':'aigw'},"
                + "'managedFields':[{}]},'data':{'k':'old','stale':'x'}}");
    ObjectNode update = AppliedObject.of(DESIRED).updateOf(live);
    assertThat(update.at("/metadata/resourceVersion").asText()).isEqualTo("42");
    assertThat(update.at("/metadata/uid").asText()).isEqualTo("u");
    assertThat(update.at("/metadata/labels/team").asText()).isEqualTo("x");
    assertThat(update.at("/metadata/managedFields").isMissingNode()).isTrue();
    assertThat(update.path("data")).isEqualTo(json("{'k':'v'}"));
  }
}
