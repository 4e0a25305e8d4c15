package io.aigw.deploy.controller;

import io.aigw.core.log.kafka.KafkaLogOptions;
import io.aigw.deploy.apply.ApplierOptions;
import io.aigw.deploy.leader.LeaseElection;
import io.aigw.deploy.rotate.RotationEndpoints;
import io.aigw.projections.desired.ExtProcSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code aigw controller} was asked to do.
 *
 * @param dataDirectory the log's directory (a PVC in the cluster)
 * @param fsync fsync every group commit of the log
 * @param extProc how the generated ExtProc Deployments run
 * @param lease where the leader Lease is and who this replica is
 * @param applier how the leader applies; its source ({@code k8s:<context>}) and namespaces (empty:
 *     all) are the watchers' too
 * @param requestTimeout the timeout of every API call the applier makes
 * @param rotation where the leader's credential rotators exchange tokens
 * @param kafka the Kafka topic that holds the log instead of {@code dataDirectory}, if any
 */
public record ControllerOptions(
    Path dataDirectory,
    boolean fsync,
    ExtProcSettings extProc,
    LeaseElection.Options lease,
    ApplierOptions applier,
    Duration requestTimeout,
    RotationEndpoints rotation,
    Optional<KafkaLogOptions> kafka) {

  public ControllerOptions {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(extProc, "extProc");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(applier, "applier");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(rotation, "rotation");
  }

  /** Rotating against the public clouds' token endpoints. */
  public ControllerOptions(
      Path dataDirectory,
      boolean fsync,
      ExtProcSettings extProc,
      LeaseElection.Options lease,
      ApplierOptions applier,
      Duration requestTimeout) {
    this(
        dataDirectory,
        fsync,
        extProc,
        lease,
        applier,
        requestTimeout,
        RotationEndpoints.PUBLIC_CLOUDS,
        Optional.empty());
  }

  public String source() {
    return applier.source();
  }

  public List<String> namespaces() {
    return applier.namespaces();
  }

  public ControllerOptions withLease(LeaseElection.Options value) {
    return new ControllerOptions(
        dataDirectory, fsync, extProc, value, applier, requestTimeout, rotation, kafka);
  }

  public ControllerOptions withApplier(ApplierOptions value) {
    return new ControllerOptions(
        dataDirectory, fsync, extProc, lease, value, requestTimeout, rotation, kafka);
  }

  public ControllerOptions withRotation(RotationEndpoints value) {
    return new ControllerOptions(
        dataDirectory, fsync, extProc, lease, applier, requestTimeout, value, kafka);
  }

  /** The log in {@code value}'s Kafka topic instead of the data directory. */
  public ControllerOptions withKafka(KafkaLogOptions value) {
    return new ControllerOptions(
        dataDirectory,
        fsync,
        extProc,
        lease,
        applier,
        requestTimeout,
        rotation,
        Optional.of(value));
  }
}
