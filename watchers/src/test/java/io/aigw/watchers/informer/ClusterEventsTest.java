package io.aigw.watchers.informer;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.WatchEvent;
import org.junit.jupiter.api.Test;

class ClusterEventsTest {

  @Test
  void recordsTheServersIdentityWithoutManagedFieldsAndTakesKindFromTheInformer() {
    WatchEvent event =
        ClusterEvents.of(
            "k8s:test",
            WatchedKind.GATEWAY,
            "{\"metadata\":{\"name\":\"gw\",\"namespace\":\"n\",\"uid\":\"u\",\"resourceVersion\":\"7\","
                + "\"generation\":2,\"managedFields\":[{\"manager\":\"kubectl\"}]},\"spec\":{},"
                + "\"status\":{\"addresses\":[]}}",
            EventType.UPSERT);
    assertThat(event.apiVersion()).isEqualTo("gateway.networking.k8s.io/v1");
    assertThat(event.kind()).isEqualTo("Gateway");
    assertThat(event.uid()).isEqualTo("u");
    assertThat(event.resourceVersion()).isEqualTo("7");
    assertThat(event.generation()).isEqualTo(2);
    assertThat(event.objectJson()).doesNotContain("managedFields").contains("addresses");
  }

  @Test
  void dropsTheStatusOfAnAiGatewayObject() {
    WatchEvent event =
        ClusterEvents.of(
            "k8s:test",
            WatchedKind.AI_GATEWAY_ROUTE,
            "{\"metadata\":{\"name\":\"r\",\"namespace\":\"n\"},\"spec\":{},\"status\":{\"conditions\":[]}}",
            EventType.UPSERT);
    assertThat(CanonicalJson.read(event.objectJson()).has("status")).isFalse();
  }

  @Test
  void digestsASecretsValuesAndItsLastAppliedAnnotation() {
    WatchEvent event =
        ClusterEvents.of(
            "k8s:test",
            WatchedKind.SECRET,
            "{\"metadata\":{\"name\":\"s\",\"namespace\":\"n\",\"annotations\":{"
                + "\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"data\\\":{\\\"k\\\":\\\"c2VjcmV0\\\"}}\"}},"
                + "\"data\":{\"k\":\"c2VjcmV0\"}}",
            EventType.UPSERT);
    assertThat(event.objectJson()).doesNotContain("c2VjcmV0").doesNotContain("secret");
    assertThat(CanonicalJson.read(event.objectJson()).at("/data/k").asText()).startsWith("sha256:");
  }

  @Test
  void aDeleteRepeatsTheLastRecordedVersion() {
    WatchEvent upsert =
        ClusterEvents.of(
            "k8s:test",
            WatchedKind.GATEWAY,
            "{\"metadata\":{\"name\":\"gw\",\"namespace\":\"n\",\"uid\":\"u\"}}",
            EventType.UPSERT);
    WatchEvent delete = ClusterEvents.deleted(upsert);
    assertThat(delete.type()).isEqualTo(EventType.DELETE);
    assertThat(delete.objectJson()).isEqualTo(upsert.objectJson());
    assertThat(delete.key()).isEqualTo(upsert.key());
  }
}
