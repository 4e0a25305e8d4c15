package io.aigw.extproc.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WarningGateTest {

  @Test
  void aRepeatedWarningGoesThroughOncePerPeriodWithTheCountHeldBack() {
    WarningGate gate = new WarningGate(1_000);

    assertThat(gate.pass("openai.default", 5_000)).hasValue(0);
    assertThat(gate.pass("openai.default", 5_001)).isEmpty();
    assertThat(gate.pass("openai.default", 5_999)).isEmpty();
    assertThat(gate.pass("azure.default", 5_999)).as("each key on its own").hasValue(0);
    assertThat(gate.pass("openai.default", 6_000)).isEqualTo(OptionalLong.of(2));
    assertThat(gate.pass("openai.default", 6_001)).isEmpty();
  }
}
