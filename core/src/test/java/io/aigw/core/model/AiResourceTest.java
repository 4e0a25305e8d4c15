package io.aigw.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AiResourceTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static <T> JsonNode roundTrip(String json, Class<T> type) throws Exception {
    T value = JSON.readValue(json, type);
    // compare as text: a Long component writes a LongNode where the input parsed as an IntNode
    return JSON.readTree(JSON.writeValueAsString(value));
  }

  @Test
  void routeBindsAndWritesBackEveryFieldUnderItsYamlName() throws Exception {
    String json =
        """
        {"apiVersion":"aigateway.envoyproxy.io/v1beta1","kind":"AIGatewayRoute",
         "metadata":{"name":"r","namespace":"ns","uid":"u","resourceVersion":"7","generation":2,
           "labels":{"a":"b"},"annotations":{"c":"d"},"creationTimestamp":"2025-01-01T00:00:00Z"},
         "spec":{"parentRefs":[{"group":"gateway.networking.k8s.io","kind":"Gateway","namespace":"n",
             "name":"gw","sectionName":"http","port":80}],
           "hostnames":["a.example.com"],
           "rules":[{"name":"r0","backendRefs":[{"name":"b","namespace":"n","group":"g","kind":"K",
               "modelNameOverride":"m","headerMutation":{"set":[{"name":"x","value":"y"}],"remove":["z"]},
               "bodyMutation":{"set":[{"path":"p","value":"1"}],"remove":["q"]},"weight":3,"priority":4}],
             "matches":[{"headers":[{"type":"Exact","name":"x-ai-eg-model","value":"gpt"}]}],
             "timeouts":{"request":"60s","backendRequest":"30s"},"streamIdleTimeout":"5s",
             "modelsOwnedBy":"me","modelsCreatedAt":"2025-01-01T00:00:00Z"}],
           "llmRequestCosts":[{"metadataKey":"k","type":"CEL","cel":"input_tokens"}]}}
        """;
    assertThat(roundTrip(json, AIGatewayRoute.class)).isEqualTo(JSON.readTree(json));
  }

  @Test
  void serviceBackendBindsAndWritesBackEveryFieldUnderItsYamlName() throws Exception {
    String json =
        """
        {"apiVersion":"aigateway.envoyproxy.io/v1beta1","kind":"AIServiceBackend",
         "metadata":{"name":"b","namespace":"ns"},
         "spec":{"schema":{"name":"AzureOpenAI","version":"2024","prefix":"/v1"},
           "backendRef":{"group":"gateway.envoyproxy.io","kind":"Backend","name":"be","namespace":"ns","port":443},
           "headerMutation":{"set":[{"name":"x","value":"y"}]},"bodyMutation":{"remove":["q"]}}}
        """;
    assertThat(roundTrip(json, AIServiceBackend.class)).isEqualTo(JSON.readTree(json));
  }

  @Test
  void securityPolicyBindsAndWritesBackEveryFieldUnderItsYamlName() throws Exception {
    String oidc =
        """
        "oidc":{"provider":{"issuer":"https://i","authorizationEndpoint":"https://a","tokenEndpoint":"https://t"},
          "clientID":"c","clientIDRef":{"name":"cid"},"clientSecret":{"group":"","kind":"Secret","name":"s","namespace":"n"},
          "scopes":["openid"],"resources":["r"]},"grantType":"g","aud":"a"
        """;
    String json =
        """
        {"apiVersion":"aigateway.envoyproxy.io/v1beta1","kind":"BackendSecurityPolicy",
         "metadata":{"name":"p","namespace":"ns"},
         "spec":{"targetRefs":[{"group":"aigateway.envoyproxy.io","kind":"AIServiceBackend","name":"b"}],
           "type":"APIKey",
           "apiKey":{"secretRef":{"name":"k"}},
           "azureAPIKey":{"secretRef":{"name":"k"}},
           "anthropicAPIKey":{"secretRef":{"name":"k"}},
           "awsCredentials":{"region":"us-east-1","credentialsFile":{"secretRef":{"name":"f"},"profile":"default"},
             "oidcExchangeToken":{%s,"awsRoleArn":"arn"}},
           "azureCredentials":{"clientID":"c","tenantID":"t","clientSecretRef":{"name":"s"},
             "oidcExchangeToken":{%s}},
           "gcpCredentials":{"projectName":"p","region":"r","credentialsFile":{"secretRef":{"name":"f"}},
             "workloadIdentityFederationConfig":{"projectID":"p","workloadIdentityProviderName":"w",
               "workloadIdentityPoolName":"pool","oidcExchangeToken":{%s},
               "serviceAccountImpersonation":{"serviceAccountName":"sa"}}},
           "credentialOverride":{"fromRequestHeaders":{"header":"h","fallbackToConfigured":true},
             "fromDynamicMetadata":{"namespace":"n","key":"k","fallbackToConfigured":false}}}}
        """
            .formatted(oidc, oidc, oidc);
    assertThat(roundTrip(json, BackendSecurityPolicy.class)).isEqualTo(JSON.readTree(json));
  }

  @Test
  void absentListsReadAsEmptyAndAreNotWrittenBack() throws Exception {
    String json = "{\"spec\":{\"rules\":[{}]}}";
    AIGatewayRoute route = JSON.readValue(json, AIGatewayRoute.class);
    assertThat(route.spec().parentRefs()).isEmpty();
    assertThat(route.spec().rules().get(0).backendRefs()).isEmpty();
    assertThat((JsonNode) JSON.valueToTree(route)).isEqualTo(JSON.readTree(json));
  }

  @Test
  void unknownPropertiesAreIgnoredWhenBinding() throws Exception {
    String json =
        "{\"kind\":\"AIServiceBackend\",\"status\":{\"conditions\":[]},\"spec\":{\"x\":1}}";
    assertThat(JSON.readValue(json, AIServiceBackend.class).kind()).isEqualTo("AIServiceBackend");
  }
}
