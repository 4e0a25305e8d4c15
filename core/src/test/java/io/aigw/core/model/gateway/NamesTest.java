package io.aigw.core.model.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void shortNamesAreTheUpstreamOnes() {
    assertThat(Names.extProc("chat")).isEqualTo("ai-eg-route-extproc-chat");
    assertThat(Names.hostRewriteFilter("chat")).isEqualTo("ai-eg-host-rewrite-chat");
    assertThat(Names.routeNotFoundFilter("chat")).isEqualTo("ai-eg-route-not-found-response-chat");
    assertThat(Names.rotatedSecret("p")).isEqualTo("ai-eg-bsp-p");
    assertThat(Names.secretVolume("openai-key")).isEqualTo("bsp-openai-key");
    assertThat(Names.backend("openai", "default")).isEqualTo("openai.default");
  }

  @Test
  void extProcNamesStayWithinADnsLabelAndUnique() {
    String a = Names.extProc("r".repeat(60));
    String b = Names.extProc("r".repeat(61));
    assertThat(a)
        .hasSize(63)
        .endsWith("-" + Names.sha256Hex("ai-eg-route-extproc-" + "r".repeat(60)).substring(0, 10));
    assertThat(b).hasSizeLessThanOrEqualTo(63).isNotEqualTo(a);
  }

  @Test
  void secretVolumesAreDnsLabelsEvenForDottedPolicyNames() {
    String dotted = Names.secretVolume("a.b");
    String dashed = Names.secretVolume("a-b");
    assertThat(dotted).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").startsWith("bsp-a-b-");
    assertThat(dashed).isEqualTo("bsp-a-b");
    assertThat(Names.secretVolume("x".repeat(100))).hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void extProcNamesOfDottedRoutesAreServiceNamesAndUnique() {
    // a Service name is a DNS-1035 label: the API server refuses ai-eg-route-extproc-chat.v2
    String dotted = Names.extProc("chat.v2");
    String dashed = Names.extProc("chat-v2");

    assertThat(dotted)
        .matches("[a-z]([-a-z0-9]*[a-z0-9])?")
        .startsWith("ai-eg-route-extproc-chat-v2-");
    assertThat(dashed).isEqualTo("ai-eg-route-extproc-chat-v2");
    assertThat(Names.extProc("a." + "b".repeat(80)))
        .hasSizeLessThanOrEqualTo(63)
        .doesNotContain(".");
  }

  @Test
  void cutNamesDoNotEndTheCutWithADash() {
    String name = Names.fit("a".repeat(51) + "-" + "b".repeat(20), 63);
    assertThat(name).doesNotContain("--").hasSizeLessThanOrEqualTo(63);
  }
}
