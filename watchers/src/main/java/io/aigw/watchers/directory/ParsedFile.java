package io.aigw.watchers.directory;

import java.util.List;

/** What one read of a file gave: its objects, or why none of them were taken. */
sealed interface ParsedFile {

  /**
   * Every object of the file, in document order; {@code skipped} counts documents that are not
   * Kubernetes objects (no {@code apiVersion} and no {@code kind}, e.g. a Helm values file).
   */
  record Objects(List<Manifest> manifests, int skipped) implements ParsedFile {
    public Objects {
      manifests = List.copyOf(manifests);
    }
  }

  /** The file was rejected as a whole; {@code line} is 1-based, 0 when unknown. */
  record Failure(int line, String reason) implements ParsedFile {}
}
