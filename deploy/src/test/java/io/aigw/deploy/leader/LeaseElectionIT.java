package io.aigw.deploy.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigw.deploy.controller.MockApiServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaseElectionIT {

  final Vertx vertx = Vertx.vertx();
  final MockApiServer server = MockApiServer.crud();
  final KubernetesClient client = server.client(vertx);
  final List<LeaseElection> elections = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    elections.forEach(LeaseElection::close);
    server.close();
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  LeaseElection stand(String identity) {
    LeaseElection election =
        new LeaseElection(
            client,
            LeaseElection.Options.of("aigw-system", "aigw-controller", identity)
                // long enough that a stalled renewal on a loaded machine does not hand the Lease
                // over; a closed replica releases it, which is what the handover here relies on
                .withTiming(
                    Duration.ofMillis(8000), Duration.ofMillis(6000), Duration.ofMillis(200)));
    elections.add(election);
    election.start();
    return election;
  }

  @Test
  void exactlyOneOfTwoReplicasLeadsAndTheOtherTakesOverWhenItStops() {
    List<String> transitions = Collections.synchronizedList(new ArrayList<>());
    LeaseElection a = stand("replica-a");
    a.leadership().subscribe(leading -> transitions.add("a " + leading));
    await().atMost(Duration.ofSeconds(30)).until(a::isLeader);
    LeaseElection b = stand("replica-b");
    b.leadership().subscribe(leading -> transitions.add("b " + leading));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> b.leader().equals(java.util.Optional.of("replica-a")));

    assertThat(b.isLeader()).isFalse();
    Lease lease = client.leases().inNamespace("aigw-system").withName("aigw-controller").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");

    a.close();
    await().atMost(Duration.ofSeconds(15)).until(b::isLeader);

    assertThat(a.isLeader()).isFalse();
    assertThat(
            client
                .leases()
                .inNamespace("aigw-system")
                .withName("aigw-controller")
                .get()
                .getSpec()
                .getHolderIdentity())
        .isEqualTo("replica-b");
    assertThat(transitions).containsSubsequence("a true", "a false", "b true");
  }
}
