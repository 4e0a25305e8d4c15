package io.aigw.deploy.manifest;

import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.codec.YamlDocuments.Document;
import io.aigw.core.codec.YamlDocuments.YamlSyntaxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The YAML files named on a command line, as kubectl would take them: a file as is, a directory for
 * every {@code *.yaml}/{@code *.yml} below it, in sorted path order.
 */
public final class ManifestFiles {

  private ManifestFiles() {}

  /** One file's documents, or why it could not be read. */
  public sealed interface Read permits Parsed, Unreadable {
    Path file();
  }

  public record Parsed(Path file, List<Document> documents) implements Read {}

  public record Unreadable(Path file, int line, String reason) implements Read {}

  /** Every manifest file under the arguments, sorted, without duplicates. */
  public static List<Path> expand(List<Path> arguments) {
    List<Path> files = new ArrayList<>();
    for (Path argument : arguments) {
      if (Files.isDirectory(argument)) {
        try (Stream<Path> walk = Files.walk(argument)) {
          walk.filter(Files::isRegularFile)
              .filter(ManifestFiles::isYaml)
              .sorted()
              .forEach(files::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else {
        files.add(argument);
      }
    }
    return files.stream().distinct().toList();
  }

  public static boolean isYaml(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  /** Reads and parses one file; never throws for bad content. */
  public static Read read(Path file) {
    try {
      return new Parsed(file, YamlDocuments.parse(Files.readString(file)));
    } catch (YamlSyntaxException e) {
      return new Unreadable(file, e.line(), e.getMessage());
    } catch (IOException e) {
      return new Unreadable(file, 0, "cannot read: " + e.getMessage());
    }
  }
}
