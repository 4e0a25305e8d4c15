package io.aigw.projections.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Quantities are written as the API server stores them, and compare by their amounts. */
class QuantitiesTest {

  @ParameterizedTest
  @CsvSource({
    "cpu, 0.5, 500m",
    "cpu, 2, 2",
    "cpu, 1500m, 1500m",
    "limits.cpu, 0.001, 1m",
    "memory, 1024Mi, 1Gi",
    "memory, 1536Mi, 1536Mi",
    "ephemeral-storage, 2000M, 2G",
    "ephemeral-storage, 1000000, 1M",
    "ephemeral-storage, 1500, 1500",
    "nvidia.com/gpu, 1, 1",
    "memory, 0k, 0",
    "cpu, 0, 0",
    "memory, 0Mi, 0",
    "cpu, 0.0, 0",
    "ephemeral-storage, 1000P, 1E",
  })
  void aQuantityIsWrittenAsTheApiServerStoresIt(String resource, String raw, String stored) {
    assertThat(Quantities.canonical(resource, raw)).isEqualTo(stored);
  }

  @ParameterizedTest
  @CsvSource({"memory, 1.5Gi", "memory, 1e3", "memory, 512mi", "cpu, 1.2345", "memory, 1000E"})
  void aFormAigwDoesNotWriteIsRefusedSayingWhichItDoes(String resource, String raw) {
    assertThatThrownBy(() -> Quantities.canonical(resource, raw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(raw);
  }

  @Test
  void anAmountIsOnlyTakenOfAStoredForm() {
    assertThatThrownBy(() -> Quantities.amount("memory", "1.5Gi"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "cpu, 500m, 500",
    "cpu, 2, 2000",
    "memory, 1Gi, 1073741824",
    "memory, 2G, 2000000000",
    "memory, 1500, 1500",
  })
  void amountsCompareAcrossSuffixes(String resource, String canonical, String amount) {
    assertThat(Quantities.amount(resource, canonical)).isEqualTo(new BigInteger(amount));
  }
}
