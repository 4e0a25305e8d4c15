package io.aigw.deploy.cli;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.SourceError;
import io.aigw.deploy.manifest.ManifestFiles;
import io.aigw.deploy.settings.Settings;
import io.aigw.projections.desired.ExtProcSettings;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.status.ResourceStatus;
import io.aigw.watchers.directory.ManifestSnapshot;
import io.aigw.watchers.directory.ManifestSnapshot.Origin;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aigw translate}: the resources the controller would create for some manifests, as
 * multi-document YAML in a stable order. Problems go to stderr with the file and object; the valid
 * part is printed all the same.
 */
@Command(
    name = "translate",
    description =
        "Print the resources aigw would create for the given manifests, as YAML; exit 1 if any"
            + " input is invalid (the valid resources are still printed).")
public final class TranslateCommand implements Callable<Integer> {

  /** Entries are folded, never stored: their time is irrelevant to the output. */
  private static final Instant EPOCH = Instant.EPOCH;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "YAML files or directories")
  List<Path> paths;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ManifestSnapshot snapshot = ManifestSnapshot.read(ManifestFiles.expand(paths), "translate");
    GatewayState state = fold(snapshot.events(), Settings.extProc(System.getenv()));
    int problems = 0;
    for (LogEvent event : snapshot.events()) {
      if (event instanceof SourceError error) {
        err.printf("%s:%d: %s%n", error.file(), error.line(), error.reason());
        problems++;
      }
    }
    for (ResourceStatus status : state.statuses().values()) {
      if (!status.isAccepted()) {
        err.printf("%s: %s: %s%n", where(snapshot, status.key()), status.key(), status.message());
        problems++;
      }
    }
    err.flush();
    out.print(state.desiredYaml());
    out.flush();
    return problems == 0 ? 0 : 1;
  }

  static GatewayState fold(List<LogEvent> events, ExtProcSettings extProc) {
    return fold(events, new GatewayProjection(extProc));
  }

  static GatewayState fold(List<LogEvent> events, GatewayProjection projection) {
    GatewayState state = projection.initial();
    long seq = 0;
    for (LogEvent event : events) {
      state = projection.apply(state, new LogEntry(++seq, EPOCH, event));
    }
    return state;
  }

  private static String where(ManifestSnapshot snapshot, ObjectKey key) {
    Origin origin = snapshot.origins().get(key);
    return origin == null ? "?" : origin.file() + ":" + origin.line();
  }
}
