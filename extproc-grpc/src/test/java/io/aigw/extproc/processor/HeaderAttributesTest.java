package io.aigw.extproc.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderAttributesTest {

  private static Map<String, String> recorded(String spec, Map<String, String> headers) {
    Map<String, String> attributes = new LinkedHashMap<>();
    HeaderAttributes.parse(spec).forEachPresent(headers, java.util.Set.of(), attributes::put);
    return attributes;
  }

  @Test
  void byDefaultTheAgentSessionBecomesTheSessionId() {
    assertThat(
            recorded(HeaderAttributes.DEFAULT, Map.of("agent-session-id", "s-42", "x-user", "ada")))
        .containsExactly(Map.entry("session.id", "s-42"));
  }

  @Test
  void headerNamesAreMatchedInLowerCaseAndAbsentOrEmptyHeadersAreLeftOut() {
    assertThat(
            recorded(
                " X-User : user.id , x-tenant:tenant.id,x-team:team",
                Map.of("x-user", "ada", "x-team", "")))
        .containsExactly(Map.entry("user.id", "ada"));
  }

  @Test
  void anEmptyMappingOrNoneRecordsNoHeader() {
    assertThat(HeaderAttributes.parse("").attributeByHeader()).isEmpty();
    assertThat(HeaderAttributes.parse(" None ").attributeByHeader()).isEmpty();
  }

  @Test
  void anEntryThatIsNotHeaderColonAttributeIsRefusedByName() {
    assertThatThrownBy(() -> HeaderAttributes.parse("agent-session-id:session.id,x-user"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("\"x-user\" is not header:attribute");
  }

  @Test
  void aHeaderThatCarriesACredentialIsNeverRecorded() {
    for (String header :
        new String[] {"Authorization", "x-api-key", "api-key", "cookie", "x-aigw-api-key"}) {
      assertThatThrownBy(() -> HeaderAttributes.parse(header + ":key"))
          .as(header)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("carries a credential");
    }
  }
}
