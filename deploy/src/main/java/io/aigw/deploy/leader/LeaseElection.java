package io.aigw.deploy.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.subjects.BehaviorSubject;
import io.reactivex.rxjava3.subjects.Subject;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease, with fabric8's elector: the holder
 * renews the Lease every {@code retryPeriod}; a holder that cannot renew within {@code
 * renewDeadline} steps down, before the Lease ({@code leaseDuration}) lapses and another replica
 * takes it. A replica that lost the Lease stands again. Closing releases a held Lease at once, so a
 * rolling update hands over in about one {@code retryPeriod} instead of one {@code leaseDuration}.
 *
 * <p>fabric8's elector makes blocking calls: they run on this election's own thread, never on an
 * event loop.
 */
public final class LeaseElection implements AutoCloseable {

  /** The Lease of an installation that keeps aigw's defaults. */
  public static final String DEFAULT_NAME = "aigw-controller";

  private static final Logger LOG = LoggerFactory.getLogger(LeaseElection.class);

  /**
   * Where the Lease is and how it is held.
   *
   * @param namespace the Lease's namespace
   * @param name the Lease's name
   * @param identity this replica's name in the Lease (unique per replica: the pod name)
   */
  public record Options(
      String namespace,
      String name,
      String identity,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod) {

    public Options {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(identity, "identity");
      if (leaseDuration.compareTo(renewDeadline) <= 0
          || renewDeadline.toMillis() <= retryPeriod.toMillis() * 1.2) {
        throw new IllegalArgumentException(
            "need leaseDuration > renewDeadline > 1.2 x retryPeriod, got "
                + leaseDuration
                + ", "
                + renewDeadline
                + ", "
                + retryPeriod);
      }
    }

    /** Kubernetes' usual timing: 15 s lease, 10 s renew deadline, 2 s retry. */
    public static Options of(String namespace, String name, String identity) {
      return new Options(
          namespace,
          name,
          identity,
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          Duration.ofSeconds(2));
    }

    public Options withTiming(Duration lease, Duration renew, Duration retry) {
      return new Options(namespace, name, identity, lease, renew, retry);
    }
  }

  private final KubernetesClient client;
  private final Options options;
  private final ScheduledExecutorService thread;
  private final Subject<Boolean> leading = BehaviorSubject.createDefault(false).toSerialized();
  private final AtomicReference<String> leader = new AtomicReference<>("");
  private final AtomicReference<CompletableFuture<?>> running = new AtomicReference<>();
  private volatile boolean isLeader;
  private volatile boolean closed;

  public LeaseElection(KubernetesClient client, Options options) {
    this.client = client;
    this.options = options;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "aigw-lease");
              t.setDaemon(true);
              return t;
            });
  }

  /** Stands for election; returns at once. */
  public void start() {
    thread.execute(this::stand);
  }

  /**
   * {@code true} while this replica holds the Lease, {@code false} otherwise; the current value
   * first, then every change, on the election's thread.
   */
  public Observable<Boolean> leadership() {
    return leading.distinctUntilChanged();
  }

  public boolean isLeader() {
    return isLeader;
  }

  /** The holder last seen in the Lease, when there is one; none once this election is closed. */
  public Optional<String> leader() {
    String holder = closed ? null : leader.get();
    return holder == null || holder.isEmpty() ? Optional.empty() : Optional.of(holder);
  }

  public Options options() {
    return options;
  }

  /**
   * Steps down (releasing a held Lease) and stops standing; waits up to five seconds. Closing again
   * does nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      thread.execute(
          () -> {
            CompletableFuture<?> election = running.getAndSet(null);
            if (election != null) {
              // fabric8 steps down, releasing the Lease, on the thread that cancels
              election.cancel(true);
            }
            changed(false);
            done.complete(null);
          });
      done.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.atWarn().log("the Lease was not released cleanly: {}", e.toString());
    } finally {
      thread.shutdownNow();
      leading.onComplete();
    }
  }

  private void stand() {
    if (closed) {
      return;
    }
    LeaderElectionConfig config =
        new LeaderElectionConfig(
            new LeaseLock(options.namespace(), options.name(), options.identity()),
            options.leaseDuration(),
            options.renewDeadline(),
            options.retryPeriod(),
            new LeaderCallbacks(() -> changed(true), () -> changed(false), this::newLeader),
            true,
            options.name());
    LeaderElector elector = new LeaderElectorBuilder(client, thread).withConfig(config).build();
    CompletableFuture<?> election = elector.start();
    running.set(election);
    election.whenComplete(
        (v, error) -> {
          changed(false);
          if (!closed && running.compareAndSet(election, null)) {
            LOG.atInfo()
                .addKeyValue("identity", options.identity())
                .log("lost the Lease; standing again");
            thread.schedule(this::stand, options.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
          }
        });
  }

  private void newLeader(String identity) {
    leader.set(identity == null ? "" : identity);
    LOG.atInfo()
        .addKeyValue("lease", options.namespace() + "/" + options.name())
        .addKeyValue("identity", options.identity())
        .log("leader is now {}", identity == null || identity.isEmpty() ? "nobody" : identity);
  }

  private void changed(boolean nowLeading) {
    if (isLeader != nowLeading) {
      isLeader = nowLeading;
      LOG.atInfo()
          .addKeyValue("identity", options.identity())
          .log(nowLeading ? "leading: this replica applies" : "not leading: standing by");
    }
    leading.onNext(nowLeading);
  }
}
