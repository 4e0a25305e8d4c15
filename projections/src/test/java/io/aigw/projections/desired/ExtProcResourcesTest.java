package io.aigw.projections.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExtProcResourcesTest {

  @ParameterizedTest
  @CsvSource({"2,2", "1.5,1500m", "0.25,250m", "2000m,2", "500m,500m", "1.0,1"})
  void cpuIsWrittenAsTheApiServerStoresIt(String given, String stored) {
    assertThat(ExtProcResources.canonicalCpu(given)).isEqualTo(stored);
  }

  @ParameterizedTest
  @CsvSource({"1Gi,1Gi", "1024Mi,1Gi", "1536Mi,1536Mi", "2048Ki,2Mi", "1048576Mi,1Ti"})
  void memoryTakesTheLargestBinarySuffixThatDividesIt(String given, String stored) {
    assertThat(ExtProcResources.canonicalMemory(given)).isEqualTo(stored);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0m", "1.2345", "fast", "-1", "1 core", ""})
  void aBadCpuQuantityIsRefusedWithTheValue(String given) {
    assertThatThrownBy(() -> ExtProcResources.canonicalCpu(given))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + given + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0Mi", "1G", "512", "1.5Gi", "Mi"})
  void aBadMemoryQuantityIsRefusedWithTheValue(String given) {
    assertThatThrownBy(() -> ExtProcResources.canonicalMemory(given))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + given + "\"");
  }

  @Test
  void quantitiesListOnlyWhatIsSet() {
    assertThat(ExtProcResources.of("2", null).quantities()).containsOnlyKeys("cpu");
    assertThat(ExtProcResources.NONE.isEmpty()).isTrue();
    assertThat(ExtProcResources.of(null, "1Gi").isEmpty()).isFalse();
  }
}
