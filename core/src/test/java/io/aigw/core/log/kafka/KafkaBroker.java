package io.aigw.core.log.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) in a child JVM, on the
 * classpath {@code test/kafka-broker} builds: the Kafka log is tested against the server users run,
 * not a fake. Its output goes to a file in its directory, shown when it fails to start.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Duration START = Duration.ofSeconds(60);

  private final Path directory;
  private final Process process;
  private final int port;

  private KafkaBroker(Path directory, Process process, int port) {
    this.directory = directory;
    this.process = process;
    this.port = port;
  }

  public static KafkaBroker start() throws Exception {
    Path directory = Files.createTempDirectory("aigw-kafka");
    int port = freePort();
    int controller = freePort();
    Path properties = directory.resolve("server.properties");
    Files.writeString(properties, properties(directory, port, controller));
    String classpath = classpath();
    String clusterId =
        Base64.getUrlEncoder().withoutPadding().encodeToString(uuidBytes(UUID.randomUUID()));
    Process format =
        java(
                directory,
                classpath,
                "kafka.tools.StorageTool",
                "format",
                // one id in 64 starts with '-', which a separate argument would read as an option
                "--cluster-id=" + clusterId,
                "-c",
                properties.toString())
            .start();
    if (!format.waitFor(START.toSeconds(), TimeUnit.SECONDS) || format.exitValue() != 0) {
      throw new IllegalStateException(
          "formatting the Kafka storage failed: "
              + Files.readString(directory.resolve("broker.out")));
    }
    Process broker = java(directory, classpath, "kafka.Kafka", properties.toString()).start();
    KafkaBroker started = new KafkaBroker(directory, broker, port);
    started.awaitListening();
    return started;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  private static String properties(Path directory, int port, int controller) {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controller,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "log.dirs=" + directory.resolve("data"),
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "min.insync.replicas=1",
        "group.initial.rebalance.delay.ms=0",
        "num.partitions=1",
        "");
  }

  private static String classpath() throws IOException {
    Path file =
        Path.of(System.getProperty("aigw.root", ".."))
            .resolve("test/kafka-broker/target/broker.classpath");
    if (!Files.exists(file)) {
      throw new IllegalStateException(
          file + " is missing: build test/kafka-broker first (mvn verify from the root does)");
    }
    return Files.readString(file).strip();
  }

  private static ProcessBuilder java(Path directory, String classpath, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath));
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("broker.out").toFile()));
  }

  private void awaitListening() throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Kafka broker exited: " + Files.readString(directory.resolve("broker.out")));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    close();
    throw new IllegalStateException("the Kafka broker did not listen within " + START);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static byte[] uuidBytes(UUID uuid) {
    return java.nio.ByteBuffer.allocate(16)
        .putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits())
        .array();
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
