package io.aigw.admin.api;

/**
 * Where {@code POST /api/restore} puts an object back: in {@code aigw run} its manifest file, in
 * the controller the API server. A target only writes to the source; the source's normal watch path
 * records the change as new log entries, so the log stays append-only and a restore looks in the
 * history like any other edit.
 *
 * <p>{@link #restore} may block (file or network I/O): the admin server calls it on a worker
 * thread, one restore at a time.
 */
public interface RestoreTarget {

  /** A target for run modes that cannot restore: every restore answers 501. */
  RestoreTarget UNSUPPORTED =
      object -> {
        throw new RestoreException(
            RestoreException.Reason.UNSUPPORTED, "this run mode cannot restore objects");
      };

  /**
   * Writes {@code object} back to the source.
   *
   * @throws RestoreException when the object cannot be written back; its message is shown to the
   *     operator and must not contain secret values
   */
  RestoreOutcome restore(RestoredObject object) throws RestoreException;
}
