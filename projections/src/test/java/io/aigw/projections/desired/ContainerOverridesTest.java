package io.aigw.projections.desired;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An image repository takes the tag or digest of the controller's own image. */
class ContainerOverridesTest {

  @ParameterizedTest
  @CsvSource({
    "ghcr.io/aigw/aigw:1.4.2, :1.4.2",
    "registry.local:5000/aigw/aigw:1.4.2, :1.4.2",
    "registry.local:5000/aigw/aigw, ''",
    "aigw@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,"
        + " @sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "aigw:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,"
        + " @sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  })
  void theTagOrDigestIsThatOfTheReleaseImage(String image, String tag) {
    assertThat(ContainerOverrides.tagOf(image)).isEqualTo(tag);
  }
}
