package io.aigw.projections.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExtProcResourcesTest {

  @ParameterizedTest
  @CsvSource({"2,2", "1.5,1500m", "0.25,250m", "2000m,2", "500m,500m", "1.0,1", "999,999"})
  void cpuIsWrittenAsTheApiServerStoresIt(String given, String stored) {
    assertThat(ExtProcResources.canonicalCpu(given)).isEqualTo(stored);
  }

  @ParameterizedTest
  @CsvSource({
    "1Gi,1Gi",
    "1024Mi,1Gi",
    "1536Mi,1536Mi",
    "2048Ki,2Mi",
    "1048576Mi,1Ti",
    "1023Ti,1023Ti"
  })
  void memoryTakesTheLargestBinarySuffixThatDividesIt(String given, String stored) {
    assertThat(ExtProcResources.canonicalMemory(given)).isEqualTo(stored);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0m", "1.2345", "fast", "-1", "1 core", "", "1000", "1000000m"})
  void aBadCpuQuantityIsRefusedWithTheValue(String given) {
    assertThatThrownBy(() -> ExtProcResources.canonicalCpu(given))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + given + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0Mi", "1G", "512", "1.5Gi", "Mi", "1024Ti", "1048576Gi"})
  void aBadMemoryQuantityIsRefusedWithTheValue(String given) {
    assertThatThrownBy(() -> ExtProcResources.canonicalMemory(given))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + given + "\"");
  }

  @Test
  void quantitiesListOnlyWhatIsSet() {
    assertThat(new ExtProcResources(Optional.of("2"), Optional.empty()).quantities())
        .containsOnlyKeys("cpu");
    assertThat(ExtProcResources.NONE.isEmpty()).isTrue();
    assertThat(new ExtProcResources(Optional.empty(), Optional.of("1Gi")).isEmpty()).isFalse();
    // canonical on the way in, whoever builds it
    assertThat(new ExtProcResources(Optional.of("1500m"), Optional.of("2048Mi")).quantities())
        .containsEntry("cpu", "1500m")
        .containsEntry("memory", "2Gi");
  }
}
