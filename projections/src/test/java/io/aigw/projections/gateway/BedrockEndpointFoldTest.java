package io.aigw.projections.gateway;

import static io.aigw.projections.gateway.GatewayProjectionTest.ROUTE;
import static io.aigw.projections.gateway.GatewayProjectionTest.ROUTE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.BackendAuth;
import org.junit.jupiter.api.Test;

/**
 * A Bedrock backend's requests are signed for the host of the Envoy Gateway Backend it names, as
 * that Backend changes.
 */
class BedrockEndpointFoldTest {

  static final String BACKEND =
      """
      apiVersion: aigateway.envoyproxy.io/v1beta1
      kind: AIServiceBackend
      metadata: {name: openai, namespace: default}
      spec:
        schema: {name: AWSBedrock}
        backendRef: {name: bedrock, kind: Backend, group: gateway.envoyproxy.io}
      ---
      apiVersion: aigateway.envoyproxy.io/v1beta1
      kind: BackendSecurityPolicy
      metadata: {name: aws, namespace: default}
      spec:
        targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: openai}]
        type: AWSCredentials
        awsCredentials: {region: us-east-1}
      """;

  static final String ENDPOINT =
      """
      apiVersion: gateway.envoyproxy.io/v1alpha1
      kind: Backend
      metadata: {name: bedrock, namespace: default}
      spec:
        endpoints: [{fqdn: {hostname: HOST, port: 443}}]
      """;

  final GatewayProjection projection = new GatewayProjection();

  GatewayState foldOn(GatewayState state, Fixtures.Log log) {
    return Fixtures.foldReadingEach(projection, state, log);
  }

  static String signingHost(GatewayState state) {
    return ((BackendAuth.Aws) state.filterConfigs().get(ROUTE_KEY).backends().get(0).auth()).host();
  }

  @Test
  void theSignatureFollowsTheHostOfTheBackendsEndpoint() {
    Fixtures.Log log = new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND);
    GatewayState regional = foldOn(projection.initial(), log);
    assertThat(signingHost(regional)).isNull();

    GatewayState fips =
        foldOn(
            regional,
            log.upsert(ENDPOINT.replace("HOST", "bedrock-runtime-fips.us-east-1.amazonaws.com")));
    assertThat(signingHost(fips)).isEqualTo("bedrock-runtime-fips.us-east-1.amazonaws.com");

    GatewayState privateLink =
        foldOn(
            fips,
            log.upsert(
                ENDPOINT.replace(
                    "HOST", "vpce-01-ab.bedrock-runtime.us-east-1.vpce.amazonaws.com")));
    assertThat(signingHost(privateLink))
        .isEqualTo("vpce-01-ab.bedrock-runtime.us-east-1.vpce.amazonaws.com");

    // the same Backend again, then with a status: the host, and what it is cited as, stay
    String linked =
        ENDPOINT.replace("HOST", "vpce-01-ab.bedrock-runtime.us-east-1.vpce.amazonaws.com");
    GatewayState again =
        foldOn(
            privateLink,
            log.upsert(linked)
                .upsert(linked + "status: {conditions: [{type: Accepted, status: 'True'}]}\n"));
    assertThat(again.desired()).isEqualTo(privateLink.desired());
    assertThat(again).isEqualTo(projection.applyAll(projection.initial(), log.entries()));

    GatewayState gone = foldOn(again, log.delete(ENDPOINT.replace("HOST", "x")));
    assertThat(signingHost(gone)).isNull();
    assertThat(gone).isEqualTo(projection.applyAll(projection.initial(), log.entries()));
  }

  @Test
  void theBackendIsTheOneTheBackendRefNamesInItsNamespace() {
    String backend =
        BACKEND.replace(
            "backendRef: {name: bedrock,", "backendRef: {name: shared, namespace: providers,");
    String elsewhere =
        ENDPOINT.replace("name: bedrock, namespace: default", "name: shared, namespace: default");
    String there =
        ENDPOINT.replace("name: bedrock, namespace: default", "name: shared, namespace: providers");
    GatewayState state =
        projection.applyAll(
            projection.initial(),
            new Fixtures.Log()
                .upsert(ROUTE + "---\n" + backend)
                .upsert(elsewhere.replace("HOST", "bedrock-runtime-fips.us-east-1.amazonaws.com"))
                .entries());
    assertThat(signingHost(state)).isNull();

    GatewayState found =
        projection.applyAll(
            projection.initial(),
            new Fixtures.Log()
                .upsert(ROUTE + "---\n" + backend)
                .upsert(there.replace("HOST", "bedrock-runtime-fips.us-west-2.amazonaws.com"))
                .entries());
    assertThat(signingHost(found)).isEqualTo("bedrock-runtime-fips.us-west-2.amazonaws.com");
  }
}
