package io.aigw.watchers.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.codec.CanonicalJson;
import org.junit.jupiter.api.Test;

class ContentHashTest {

  @Test
  void keyOrderAndServerMaintainedFieldsDoNotCount() {
    String a =
        "{\"kind\":\"X\",\"metadata\":{\"name\":\"n\",\"resourceVersion\":\"1\",\"generation\":1},\"spec\":{\"a\":1,\"b\":2}}";
    String b =
        "{\"spec\":{\"b\":2,\"a\":1},\"metadata\":{\"generation\":4,\"name\":\"n\",\"managedFields\":[]},\"kind\":\"X\"}";

    assertThat(ContentHash.ofJson(a)).isEqualTo(ContentHash.ofJson(b)).hasSize(64);
  }

  @Test
  void anyOtherFieldCounts() {
    String a = "{\"metadata\":{\"name\":\"n\",\"labels\":{\"x\":\"1\"}},\"spec\":{}}";
    String b = "{\"metadata\":{\"name\":\"n\",\"labels\":{\"x\":\"2\"}},\"spec\":{}}";

    assertThat(ContentHash.of(CanonicalJson.read(a)))
        .isNotEqualTo(ContentHash.of(CanonicalJson.read(b)));
  }

  @Test
  void theHashedObjectIsNotModified() {
    var node = CanonicalJson.read("{\"metadata\":{\"resourceVersion\":\"3\"}}");

    ContentHash.of(node);

    assertThat(node.at("/metadata/resourceVersion").asText()).isEqualTo("3");
  }
}
