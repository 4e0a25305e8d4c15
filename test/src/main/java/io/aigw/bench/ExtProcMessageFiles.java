package io.aigw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the four messages of a buffered exchange ({@link ExtProcWorkload.Messages}) as {@code
 * m0.bin} to {@code m3.bin} into a directory, serialized as the Java generators send them, for the
 * C client {@code src/main/c/extproc-load.c}.
 *
 * <p>Run: {@code java -cp CLASSPATH io.aigw.bench.ExtProcMessageFiles DIR}.
 */
public final class ExtProcMessageFiles {

  private ExtProcMessageFiles() {}

  public static void main(String[] args) throws IOException {
    Path dir =
        Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/extproc-messages"));
    ExtProcWorkload.Messages m = new ExtProcWorkload.Messages();
    Files.write(dir.resolve("m0.bin"), m.requestHeaders.toByteArray());
    Files.write(dir.resolve("m1.bin"), m.requestBody.toByteArray());
    Files.write(dir.resolve("m2.bin"), m.responseHeaders.toByteArray());
    Files.write(dir.resolve("m3.bin"), m.responseBody.toByteArray());
    System.out.println(dir);
  }
}
