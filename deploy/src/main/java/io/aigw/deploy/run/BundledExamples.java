package io.aigw.deploy.run;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The examples packaged in the jar (under {@code aigw-examples/}), for a machine that has only the
 * jar. Extracted once, at the first start: later starts take the directory as the user left it, so
 * a deleted example stays deleted and an edited one stays edited.
 */
public final class BundledExamples {

  private static final String ROOT = "aigw-examples";

  private BundledExamples() {}

  /**
   * {@code target}, holding the examples when it did not exist; as it is when it does. Extracted
   * beside it first and moved into place whole, so that a start interrupted halfway does not leave
   * half of them as if the user had deleted the rest.
   */
  public static Path extractTo(Path target) throws IOException {
    if (Files.isDirectory(target)) {
      return target;
    }
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, ".examples-");
    try {
      for (String name : names()) {
        try (InputStream in = open(ROOT + "/" + name)) {
          Files.copy(in, staging.resolve(name));
        }
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      // another start extracted them meanwhile: theirs stand
    } finally {
      deleteIfLeft(staging);
    }
    return target;
  }

  private static void deleteIfLeft(Path staging) throws IOException {
    if (!Files.exists(staging)) {
      return;
    }
    try (Stream<Path> files = Files.list(staging)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(staging);
  }

  /** File names under the examples root, whether the classes are a jar or a directory. */
  static List<String> names() throws IOException {
    URL root = BundledExamples.class.getClassLoader().getResource(ROOT);
    if (root == null) {
      throw new IOException("the examples are not packaged: " + ROOT + " is missing");
    }
    List<String> names = new ArrayList<>();
    if ("jar".equals(root.getProtocol())) {
      JarURLConnection connection = (JarURLConnection) root.openConnection();
      try (JarFile jar = connection.getJarFile()) {
        for (var entry : Collections.list(jar.entries())) {
          String name = entry.getName();
          if (name.startsWith(ROOT + "/") && !entry.isDirectory()) {
            names.add(name.substring(ROOT.length() + 1));
          }
        }
      }
    } else {
      try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
        files.filter(Files::isRegularFile).forEach(f -> names.add(f.getFileName().toString()));
      } catch (URISyntaxException e) {
        throw new IOException(e);
      }
    }
    names.removeIf(name -> name.contains("/"));
    Collections.sort(names);
    return names;
  }

  private static InputStream open(String name) throws IOException {
    InputStream in = BundledExamples.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException("not in the jar: " + name);
    }
    return in;
  }
}
