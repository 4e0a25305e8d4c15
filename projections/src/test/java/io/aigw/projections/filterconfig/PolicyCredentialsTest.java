package io.aigw.projections.filterconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.CredentialFile;
import io.aigw.core.filterconfig.CredentialOverride;
import io.aigw.core.model.BackendSecurityPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyCredentialsTest {

  static BackendSecurityPolicy policy(String body) {
    return FakeReferences.read(
            FilterConfigProjectionTest.policy("p", "b", body), BackendSecurityPolicy.class, 1)
        .resource();
  }

  @Test
  void aSecretRefMayNameAnotherNamespace() {
    var use =
        PolicyCredentials.secretOf(
            policy("type: APIKey\napiKey: {secretRef: {name: s, namespace: vault}}"));
    assertThat(use)
        .contains(
            new PolicyCredentials.SecretUse(
                "spec.apiKey.secretRef", "vault", "s", "apiKey", false));
  }

  @Test
  void awsWithoutFileOrOidcUsesTheDefaultChainAndReadsNoSecret() {
    var policy = policy("type: AWSCredentials\nawsCredentials: {region: r}");
    assertThat(PolicyCredentials.secretOf(policy)).isEmpty();
    assertThat(PolicyCredentials.auth(policy, "v")).contains(new BackendAuth.Aws("r", null, null));
    assertThat(PolicyCredentials.override(policy)).isEmpty();
  }

  @Test
  void azureWithOidcReadsTheRotatedAccessToken() {
    var policy =
        policy(
            "type: AzureCredentials\nazureCredentials: {clientID: c, tenantID: t,"
                + " oidcExchangeToken: {oidc: {provider: {issuer: https://i}, clientID: c,"
                + " clientSecret: {name: cs}}}}");
    assertThat(PolicyCredentials.auth(policy, "bsp-p"))
        .contains(
            new BackendAuth.Azure(
                "c",
                "t",
                new CredentialFile(
                    "/etc/backend_security_policy/bsp-p/azureAccessToken",
                    new CredentialFile.SecretKeyRef(
                        "default", "ai-eg-bsp-p", "azureAccessToken"))));
    assertThat(PolicyCredentials.secretOf(policy).orElseThrow().rotated()).isTrue();
  }

  @Test
  void azureWithAClientSecretMountsTheRotatedTokenAndLeavesTheSecretToTheRotator() {
    var policy =
        policy(
            "type: AzureCredentials\nazureCredentials: {clientID: c, tenantID: t,"
                + " clientSecretRef: {name: azure-secret}}");
    var named = PolicyCredentials.secretOf(policy).orElseThrow();
    assertThat(named.rotated()).isFalse();
    assertThat(named.name()).isEqualTo("azure-secret");
    assertThat(named.key()).isEqualTo("client-secret");
    var mounted = PolicyCredentials.mountOf(policy).orElseThrow();
    assertThat(mounted.name()).isEqualTo("ai-eg-bsp-p");
    assertThat(mounted.key()).isEqualTo("azureAccessToken");
    assertThat(PolicyCredentials.auth(policy, "bsp-p"))
        .contains(
            new BackendAuth.Azure(
                "c",
                "t",
                new CredentialFile(
                    "/etc/backend_security_policy/bsp-p/azureAccessToken",
                    new CredentialFile.SecretKeyRef(
                        "default", "ai-eg-bsp-p", "azureAccessToken"))));
  }

  @Test
  void gcpWithNeitherFileNorFederationUsesTheApplicationDefaultCredentials() {
    var policy = policy("type: GCPCredentials\ngcpCredentials: {projectName: p, region: r}");
    // the ExtProc reads GCP's Application Default Credentials for such a backend, as upstream
    assertThat(PolicyCredentials.auth(policy, "v"))
        .contains(new BackendAuth.Gcp("p", "r", null, null));
    assertThat(PolicyCredentials.overrideProblem(policy)).isEmpty();
    assertThat(
            PolicyCredentials.overrideProblem(
                policy(
                    "type: GCPCredentials\ngcpCredentials: {projectName: p, region: r}\n"
                        + "credentialOverride: {fromRequestHeaders: {}}")))
        .as("upstream does not count them as a credential to fall back to")
        .isPresent();
  }

  @Test
  void eachTypeHasItsDefaultOverrideHeader() {
    assertThat(header("type: AnthropicAPIKey\nanthropicAPIKey: {secretRef: {name: s}}"))
        .isEqualTo("x-aigw-anthropic-api-key");
    assertThat(header("type: AzureAPIKey\nazureAPIKey: {secretRef: {name: s}}"))
        .isEqualTo("x-aigw-azure-api-key");
    assertThat(
            header(
                "type: AzureCredentials\nazureCredentials: {clientID: c, tenantID: t,"
                    + " clientSecretRef: {name: s}}"))
        .isEqualTo("x-aigw-azure-access-token");
  }

  private static String header(String body) {
    return PolicyCredentials.override(
            policy(body + "\ncredentialOverride: {fromRequestHeaders: {}}"))
        .orElseThrow()
        .headerName();
  }

  @Test
  void dynamicMetadataOverridesKeepAnExplicitKey() {
    var policy =
        policy(
            "type: APIKey\napiKey: {secretRef: {name: s}}\ncredentialOverride:"
                + " {fromDynamicMetadata: {namespace: ns, key: k}}");
    assertThat(PolicyCredentials.override(policy))
        .contains(new CredentialOverride(null, "ns", "k", true, List.of()));
  }

  @Test
  void anOverrideThatDoesNotFallBackNeedsNoConfiguredCredential() {
    var policy =
        policy(
            "type: GCPCredentials\ngcpCredentials: {projectName: p, region: r}\n"
                + "credentialOverride: {fromRequestHeaders: {fallbackToConfigured: false}}");
    assertThat(PolicyCredentials.overrideProblem(policy)).isEmpty();
  }
}
