package io.aigw.watchers.directory;

import io.aigw.core.event.LogEvent;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.SourceError;
import io.aigw.watchers.secret.SecretValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A one-shot read of manifest files, as a fresh API server would record them: the events a {@link
 * DirectoryWatcher} would emit on its first scan of the same files (same uids, generations and
 * digests), plus where each object was declared. Used by {@code aigw translate} and {@code aigw
 * validate}, which have no log and no watch.
 */
public record ManifestSnapshot(List<LogEvent> events, Map<ObjectKey, Origin> origins) {

  /** Where an object was declared (the winning declaration). */
  public record Origin(Path file, int line) {}

  public ManifestSnapshot {
    events = List.copyOf(events);
    origins = Map.copyOf(origins);
  }

  /**
   * Reads {@code files} in the given order; a later declaration of a key wins, as with {@code
   * kubectl apply -f a -f b}, and the one it overrides is a {@link SourceError}, as {@code aigw
   * run} records it. A file that cannot be read or parsed gives a {@link SourceError} and
   * contributes nothing.
   */
  public static ManifestSnapshot read(List<Path> files, String source) {
    List<LogEvent> errors = new ArrayList<>();
    Map<ObjectKey, Manifest> winners = new LinkedHashMap<>();
    Map<ObjectKey, Origin> origins = new TreeMap<>();
    for (Path file : files) {
      ParsedFile parsed = parse(file);
      if (parsed instanceof ParsedFile.Failure failure) {
        errors.add(new SourceError(source, file.toString(), failure.line(), failure.reason()));
        continue;
      }
      for (Manifest manifest : ((ParsedFile.Objects) parsed).manifests()) {
        Manifest ignored = winners.remove(manifest.key());
        if (ignored != null) {
          errors.add(
              DirectoryWatcher.duplicate(
                  source,
                  origins.get(manifest.key()).file().toString(),
                  ignored,
                  file.toString(),
                  manifest));
        }
        winners.put(manifest.key(), manifest);
        origins.put(manifest.key(), new Origin(file, manifest.line()));
      }
    }
    // no clock: translate's output must be the same bytes for the same input, whenever it runs
    ObjectRecorder recorder =
        new ObjectRecorder(source, Map.of(), 0, new SecretValues(), Optional.empty());
    List<LogEvent> events = new ArrayList<>(errors);
    events.addAll(recorder.reconcile(List.copyOf(winners.values()), true));
    return new ManifestSnapshot(events, origins);
  }

  private static ParsedFile parse(Path file) {
    try {
      return ManifestParser.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      return new ParsedFile.Failure(0, "cannot read the file: " + e.getMessage());
    }
  }
}
