package io.aigw.deploy.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import org.junit.jupiter.api.Test;

class OwnedFieldsTest {

  static JsonNode json(String text) {
    return CanonicalJson.read(text.replace('\'', '"'));
  }

  static final JsonNode DESIRED =
      json(
          "{'apiVersion':'v1','kind':'Service','metadata':{'name':'s','namespace':'n',"
              + "'labels':{'app':'a'}},'spec':{'ports':[{'name':'grpc','port':1063}],"
              + "'selector':{'app':'a'}}}");

  @Test
  void serverDefaultsAndOtherWritersFieldsAreNotDrift() {
    JsonNode live =
        json(
            "{'apiVersion':'v1','kind':'Service','metadata':{'name':'s','namespace':'n','uid':'u',"
                + "'resourceVersion':'9','labels':{'app':'a','team':'x'},'annotations':{'k':'v'}},"
                + "'spec':{'clusterIP':'10.0.0.1','ports':[{'name':'grpc','port':1063,"
                + "'protocol':'TCP','targetPort':1063}],'selector':{'app':'a'}},'status':{}}");
    assertThat(OwnedFields.coveredBy(DESIRED, live)).isTrue();
  }

  @Test
  void aChangedValueAMissingFieldOrAnotherListLengthIsDrift() {
    assertThat(OwnedFields.coveredBy(DESIRED, json(DESIRED.toString().replace("1063", "1064"))))
        .isFalse();
    assertThat(
            OwnedFields.coveredBy(
                DESIRED, json(DESIRED.toString().replace(",\"selector\":{\"app\":\"a\"}", ""))))
        .isFalse();
    assertThat(
            OwnedFields.coveredBy(
                DESIRED,
                json(
                    DESIRED
                        .toString()
                        .replace(
                            "[{\"name\":\"grpc\",\"port\":1063}]",
                            "[{\"name\":\"grpc\",\"port\":1063},{\"name\":\"x\",\"port\":1}]"))))
        .isFalse();
    assertThat(
            OwnedFields.coveredBy(
                DESIRED, json(DESIRED.toString().replace("\"app\":\"a\"}}", "\"app\":\"b\"}}"))))
        .isFalse();
  }

  @Test
  void numbersCompareByValueAndEmptyContainersMatchAbsentOnes() {
    JsonNode desired = json("{'spec':{'replicas':1,'hostnames':[],'extra':{}}}");
    assertThat(OwnedFields.coveredBy(desired, json("{'spec':{'replicas':1.0}}"))).isTrue();
    assertThat(OwnedFields.coveredBy(desired, json("{'spec':{'replicas':2}}"))).isFalse();
  }

  @Test
  void ofMetadataOnlyLabelsAnnotationsAndOwnersCount() {
    JsonNode desired =
        json("{'metadata':{'name':'s','generation':3,'ownerReferences':[{'uid':'u1'}]}}");
    assertThat(
            OwnedFields.coveredBy(
                desired,
                json(
                    "{'metadata':{'name':'s','generation':7,'ownerReferences':[{'uid':'u1','kind':'K'}]}}")))
        .isTrue();
    assertThat(
            OwnedFields.coveredBy(
                desired, json("{'metadata':{'name':'s','ownerReferences':[{'uid':'u2'}]}}")))
        .isFalse();
  }
}
