package io.aigw.deploy.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Beyond the hand-written table: valid objects broken at random (fields removed, replaced by values
 * of the wrong type or out of range, blocks added, items duplicated) get the same answer from the
 * CRDs as from aigw's validator. The seed is fixed so a failure is reproducible.
 */
class CrdValidatorAgreementTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MUTANTS = 4000;
  private static final List<String> FIELD_NAMES =
      List.of(
          "name",
          "namespace",
          "group",
          "kind",
          "port",
          "weight",
          "priority",
          "type",
          "apiKey",
          "awsCredentials",
          "azureAPIKey",
          "azureCredentials",
          "gcpCredentials",
          "anthropicAPIKey",
          "credentialOverride",
          "credentialsFile",
          "workloadIdentityFederationConfig",
          "clientSecretRef",
          "oidcExchangeToken",
          "timeouts",
          "request",
          "backendRequest",
          "backendRefs",
          "matches",
          "headers",
          "parentRefs",
          "hostnames",
          "rules",
          "secretRef",
          "region",
          "modelName",
          "quota",
          "limit",
          "duration",
          "mode",
          "defaultBucket",
          "clientSelectors",
          "sourceCIDR",
          "extra");

  @Test
  void randomlyBrokenObjectsGetTheSameMessagesFromTheCrdsAsFromTheValidator() throws Exception {
    AiGatewayCrds crds = AiGatewayCrds.load();
    List<JsonNode> seeds = new ArrayList<>(CrdAdmissionTest.fixtureObjects().values());
    for (CrdAdmissionTest.Case c : CrdAdmissionTest.validatorCases()) {
      if (c.expected().isEmpty()) {
        seeds.add(c.object());
      }
    }
    Random random = new Random(20250601L);
    int rejected = 0;
    for (int i = 0; i < MUTANTS; i++) {
      ObjectNode mutant = seeds.get(random.nextInt(seeds.size())).deepCopy();
      if (random.nextInt(3) == 0) {
        // the deprecated version is served too, with its own policy schema
        mutant.put("apiVersion", "aigateway.envoyproxy.io/v1alpha1");
      }
      int changes = 1 + random.nextInt(3);
      for (int c = 0; c < changes; c++) {
        mutate(mutant.get("spec"), random);
      }
      List<String> fromCrds = crds.admit(mutant);
      assertThat(fromCrds)
          .as("mutant %d: %s", i, mutant)
          .containsExactlyInAnyOrderElementsOf(AiGatewayCrds.validator(mutant));
      rejected += fromCrds.isEmpty() ? 0 : 1;
    }
    // the mutations must mostly break something, or the comparison proves little
    assertThat(rejected).isGreaterThan(MUTANTS / 2);
  }

  /** Changes one node somewhere inside {@code root}. */
  private static void mutate(JsonNode root, Random random) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    JsonNode target = containers.get(random.nextInt(containers.size()));
    if (target instanceof ArrayNode array) {
      if (!array.isEmpty() && random.nextBoolean()) {
        array.add(array.get(random.nextInt(array.size())).deepCopy());
      } else if (!array.isEmpty()) {
        array.set(random.nextInt(array.size()), value(random));
      } else {
        array.add(value(random));
      }
      return;
    }
    ObjectNode object = (ObjectNode) target;
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    int choice = random.nextInt(3);
    if (choice == 0 && !names.isEmpty()) {
      object.remove(names.get(random.nextInt(names.size())));
    } else if (choice == 1 && !names.isEmpty()) {
      object.set(names.get(random.nextInt(names.size())), value(random));
    } else {
      object.set(FIELD_NAMES.get(random.nextInt(FIELD_NAMES.size())), value(random));
    }
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node == null || !node.isContainerNode()) {
      return;
    }
    out.add(node);
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      collect(it.next(), out);
    }
  }

  private static JsonNode value(Random random) {
    String[] pool = {
      "\"\"",
      "\"x\"",
      "\"Bad_Name!\"",
      "\"route-not-found\"",
      "\"Gateway\"",
      "\"Service\"",
      "\"Backend\"",
      "\"InferencePool\"",
      "\"inference.networking.k8s.io\"",
      "\"aigateway.envoyproxy.io\"",
      "\"AIServiceBackend\"",
      "\"gateway.envoyproxy.io\"",
      "\"APIKey\"",
      "\"GCPCredentials\"",
      "\"AzureCredentials\"",
      "\"0s\"",
      "\"10s\"",
      "\"1h\"",
      "\"1m30s\"",
      "\"1d\"",
      "\"Shared\"",
      "{\"limit\":1,\"duration\":\"1s\"}",
      "\"2024-05-21T10:00:00Z\"",
      "-1",
      "0",
      "1",
      "70000",
      "1.5",
      "true",
      "null",
      "{}",
      "[]",
      "[\"a\",\"a\"]",
      "{\"name\":\"x\"}",
      "{\"secretRef\":{\"name\":\"k\"}}",
      "{\"name\":\"p\",\"group\":\"inference.networking.k8s.io\",\"kind\":\"InferencePool\"}",
      "{\"request\":\"10s\",\"backendRequest\":\"1m\"}",
      "[{\"name\":\"r\"},{\"name\":\"r\"}]"
    };
    try {
      return JSON.readTree(pool[random.nextInt(pool.length)]);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
