package io.aigw.deploy.datadir;

import io.aigw.core.log.file.FileEventLog;
import io.aigw.core.log.file.FileEventLogOptions;
import io.aigw.core.log.file.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout of a data directory ({@code --data}), shared by {@code aigw run}, {@code aigw
 * controller} and {@code aigw replay} so that each finds the log the others wrote: the event log
 * lives in {@code log/} under it.
 */
public final class DataDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

  private DataDirectory() {}

  public static Path logDirectory(Path dataDirectory) {
    return dataDirectory.resolve("log");
  }

  /**
   * Opens the directory's log for appending (recovery cuts a torn tail) and reports what recovery
   * found, so that an operator sees a dropped tail at start. Blocks: call it off the event loop.
   */
  public static FileEventLog openLog(Path dataDirectory, boolean fsync) throws IOException {
    Path directory = logDirectory(dataDirectory);
    FileEventLog log =
        FileEventLog.open(
            FileEventLogOptions.of(directory)
                .withFsync(fsync ? FsyncPolicy.ALWAYS : FsyncPolicy.NEVER));
    LOG.atInfo()
        .addKeyValue("dir", directory)
        .addKeyValue("latestSeq", log.latestSeq())
        .log("event log open: {}", log.recoveryReport());
    return log;
  }
}
