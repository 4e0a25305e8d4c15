package io.aigw.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.EventLog;
import io.aigw.core.log.file.FileEventLog;
import io.aigw.core.log.file.ReadOnlyFileEventLog;
import io.aigw.core.log.file.RecoveryReport;
import io.aigw.core.log.kafka.KafkaEventLog;
import io.aigw.deploy.datadir.DataDirectory;
import io.aigw.deploy.settings.Settings;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.gateway.ExtProcScope;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.LogReplay;
import io.aigw.projections.status.Condition;
import io.aigw.projections.status.ResourceStatus;
import io.aigw.watchers.directory.DirectoryWatcher;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aigw replay}: the desired resources and status as they were at a seq of the log. */
@Command(
    name = "replay",
    description = "Print the desired resources and the status at a seq of the log.")
public final class ReplayCommand implements Callable<Integer> {

  enum Format {
    yaml,
    json
  }

  @Spec CommandSpec spec;

  @Option(names = "--data", description = "Data directory of aigw run (default: ${DEFAULT-VALUE})")
  Path data = Settings.DATA_DIR.from(System.getenv());

  @Option(names = "--to", paramLabel = "SEQ", description = "Sequence number (default: the latest)")
  Long to;

  @Option(names = "--output", description = "yaml or json (default: ${DEFAULT-VALUE})")
  Format output = Format.yaml;

  @Mixin KafkaLogFlags kafka = new KafkaLogFlags();

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (kafka.options().isPresent()) {
      EventLog log;
      try {
        log = KafkaEventLog.openReadOnly(kafka.options().get());
      } catch (IllegalStateException e) {
        err.println(e.getMessage());
        err.flush();
        return 1;
      }
      return replay(log);
    }
    Path logDir = DataDirectory.logDirectory(data);
    if (!Files.isDirectory(logDir)) {
      err.printf("no event log in %s%n", logDir);
      err.flush();
      return 1;
    }
    ReadOnlyFileEventLog log = FileEventLog.openReadOnly(logDir);
    RecoveryReport report = log.recoveryReport();
    if (report.droppedAnything()) {
      // replay writes nothing: the tail stays for aigw run to cut, and is left out here
      err.printf(
          "the log's tail is damaged: replaying up to seq %d and leaving out %d bytes after it (%s)%n",
          report.lastGoodSeq(), report.droppedBytes(), report.reason());
      err.flush();
    }
    return replay(log);
  }

  private int replay(EventLog opened) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (EventLog log = opened) {
      long latest = log.latestSeq();
      long seq = to == null ? latest : to;
      if (seq < 0 || seq > latest) {
        err.printf("seq %d is not in the log (it holds 1..%d)%n", seq, latest);
        err.flush();
        return 1;
      }
      GatewayState state =
          LogReplay.foldTo(
              log, new GatewayProjection(Settings.extProc(System.getenv()), scopeOf(log)), seq);
      out.print(output == Format.json ? json(state, latest) : yaml(state, latest));
      out.flush();
      return 0;
    }
  }

  /**
   * How the log's routes were served: {@code aigw run} records a directory and serves every route
   * from one ExtProc, a controller records a cluster, where each route has its own. Replay reports
   * the statuses the writer did.
   */
  static ExtProcScope scopeOf(EventLog log) {
    for (LogEntry entry : log.read(1, 1000)) {
      if (entry.event() instanceof WatchEvent event) {
        return event.source().startsWith(DirectoryWatcher.SOURCE_PREFIX)
            ? ExtProcScope.EVERY_ROUTE
            : ExtProcScope.ROUTE;
      }
    }
    return ExtProcScope.ROUTE;
  }

  static String yaml(GatewayState state, long latest) {
    StringBuilder text = new StringBuilder();
    text.append("# aigw replay: state at seq ").append(state.seq());
    text.append(" of ").append(latest).append('\n');
    for (ResourceStatus status : state.statuses().values()) {
      text.append("# status ").append(status.key()).append(": ");
      for (Condition condition : status.conditions()) {
        text.append(condition.type()).append(" (").append(condition.message()).append(')');
      }
      text.append('\n');
    }
    return text.append(state.desiredYaml()).toString();
  }

  static String json(GatewayState state, long latest) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("seq", state.seq());
    root.put("latestSeq", latest);
    ArrayNode desired = root.putArray("desired");
    for (DesiredResource resource : state.desired().values()) {
      desired.add(resource.object());
    }
    ArrayNode statuses = root.putArray("status");
    for (ResourceStatus status : state.statuses().values()) {
      statuses.add(statusTree(status));
    }
    return CanonicalJson.write(root) + "\n";
  }

  private static JsonNode statusTree(ResourceStatus status) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("kind", status.key().kind());
    node.put("namespace", status.key().namespace());
    node.put("name", status.key().name());
    node.put("observedGeneration", status.observedGeneration());
    node.set("conditions", CanonicalJson.mapper().valueToTree(status.conditions()));
    return node;
  }
}
