package io.aigw.core.log.file;

import io.aigw.core.log.SampleEvents;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The child process of {@link FileEventLogCrashIT}: opens the log, prints {@code ready <latest>},
 * then appends events of random sizes with many appends in flight and prints {@code ack <seq>
 * <name>} for each acknowledged one, unbuffered, until it is killed. Stops by itself after a minute
 * in case the parent died.
 */
public final class CrashingAppender {

  private static final OutputStream OUT = new FileOutputStream(FileDescriptor.out);
  private static final long MAX_RUN_NANOS = TimeUnit.SECONDS.toNanos(60);

  private CrashingAppender() {}

  public static void main(String[] args) throws Exception {
    Path directory = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    FileEventLog log =
        FileEventLog.open(FileEventLogOptions.of(directory).withSegmentBytes(256 * 1024));
    print("ready " + log.latestSeq());
    Random random = new Random(seed);
    Semaphore inFlight = new Semaphore(64);
    long started = System.nanoTime();
    for (long i = 0; System.nanoTime() - started < MAX_RUN_NANOS; i++) {
      inFlight.acquire();
      String name = "c" + seed + "-" + i;
      int size =
          random.nextInt(200) == 0 ? 20_000 + random.nextInt(100_000) : 50 + random.nextInt(3000);
      log.append(SampleEvents.sized(name, size))
          .whenComplete(
              (entry, error) -> {
                inFlight.release();
                if (entry != null) {
                  print("ack " + entry.seq() + " " + name);
                }
              });
    }
    log.close();
  }

  private static synchronized void print(String line) {
    try {
      OUT.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException parentGone) {
      Runtime.getRuntime().halt(3);
    }
  }
}
