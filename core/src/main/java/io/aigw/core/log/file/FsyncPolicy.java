package io.aigw.core.log.file;

/** When the file log forces its writes to the disk. */
public enum FsyncPolicy {
  /**
   * Every group commit ends with an fsync; an append is acknowledged only after the fsync that
   * covers it. The default, and the only policy that survives a power loss.
   */
  ALWAYS,
  /**
   * Writes reach the operating system but are never forced: survives a crash of the process, not of
   * the machine. For tests and benchmarks of everything but the disk.
   */
  NEVER
}
