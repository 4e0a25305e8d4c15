package io.aigw.watchers.directory;

import io.aigw.core.event.LogEvent;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import io.aigw.watchers.secret.SecretValues;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source of {@code aigw run}: a directory of the YAML a user would {@code kubectl apply},
 * turned into the events an API server would have produced for it.
 *
 * <ul>
 *   <li>Every {@code *.yaml} / {@code *.yml} below the directory is read, in sorted path order
 *       (hidden files and directories, whose names start with a dot, are skipped; symbolic links to
 *       files are followed, to directories not). A new or changed object gives an UPSERT, an object
 *       that disappeared a DELETE carrying its last version. Only content counts: reformatting or
 *       reordering keys gives nothing.
 *   <li>A file that does not parse gives one {@link SourceError} (file, line, reason) and the
 *       objects it declared before stay as they were: a typo never deletes a route. Once fixed, the
 *       difference to what was recorded is emitted.
 *   <li>An object declared twice: the declaration that comes last (by file path, then by position
 *       in the file) is taken, and a {@link SourceError} names the one that is ignored.
 *   <li>Secrets are recorded with a digest per key (see {@link
 *       io.aigw.watchers.secret.SecretDigester}); their values go to {@link SecretValues} only.
 *   <li>Restart: built with the objects already in the log, the first scan emits only what differs
 *       from them. While some file fails to parse, objects of an earlier run that no file declares
 *       are kept (the broken file may be theirs).
 *   <li>After the first scan the directory is polled; a file's new version is taken once two
 *       consecutive polls have seen the same content, so a half-written file is never taken.
 * </ul>
 *
 * <p>Subscribe once to {@link #scans()}; the first item is the complete first scan.
 */
public final class DirectoryWatcher {

  /** What the source of every event this watcher records starts with. */
  public static final String SOURCE_PREFIX = "dir:";

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

  private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);

  private final Path root;
  private final String source;
  private final Duration pollInterval;
  private final Scheduler scheduler;
  private final SecretValues secretValues;
  private final ObjectRecorder recorder;
  private final SortedMap<String, TrackedFile> files = new TreeMap<>();
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private boolean scanned;
  private boolean listingFailed;

  private DirectoryWatcher(Builder builder) {
    this.root = builder.directory.toAbsolutePath().normalize();
    this.source = SOURCE_PREFIX + root;
    this.pollInterval = builder.pollInterval;
    this.scheduler = builder.scheduler;
    this.secretValues = builder.secretValues;
    this.recorder =
        new ObjectRecorder(
            source,
            builder.recorded,
            builder.resourceVersionFloor,
            secretValues,
            Optional.of(builder.clock));
  }

  /** A watcher of {@code directory}; see {@link Builder} for the options. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** {@code dir:<absolute path>}, the {@code source} of every event this watcher emits. */
  public String source() {
    return source;
  }

  public Path directory() {
    return root;
  }

  /** Where the values of the Secrets read from the directory are held. */
  public SecretValues secretValues() {
    return secretValues;
  }

  /**
   * The scans, on the watcher's scheduler (blocking file reads belong there, never on an event
   * loop): the first scan at once, always delivered ({@link DirectoryScan#initial()}); then one
   * poll per interval, delivered only when it has events. A poll due while the subscriber is still
   * busy is skipped, not queued. Errors with the I/O exception when the directory cannot be listed
   * on the first scan; later listing failures become one {@link SourceError} and change nothing.
   * Subscribe once: a second subscription gets an {@link IllegalStateException}.
   */
  public Flowable<DirectoryScan> scans() {
    return Flowable.defer(
        () -> {
          if (!subscribed.compareAndSet(false, true)) {
            return Flowable.error(
                new IllegalStateException("a DirectoryWatcher has one subscriber: " + source));
          }
          return Flowable.interval(0, pollInterval.toMillis(), TimeUnit.MILLISECONDS, scheduler)
              .onBackpressureDrop()
              .concatMapSingle(tick -> Single.fromCallable(this::scanOnce), 1)
              .filter(scan -> scan.initial() || !scan.events().isEmpty());
        });
  }

  /** One pass over the directory. Blocking; also what {@link #scans()} runs on every tick. */
  synchronized DirectoryScan scanOnce() throws IOException {
    boolean initial = !scanned;
    List<LogEvent> events = new ArrayList<>();
    SortedMap<String, Path> listing;
    try {
      listing = list();
      listingFailed = false;
    } catch (IOException e) {
      if (initial) {
        throw e;
      }
      if (!listingFailed) {
        listingFailed = true;
        events.add(new SourceError(source, "", 0, "cannot list the directory: " + e));
      }
      return new DirectoryScan(false, events, files.size(), recorder.size());
    }
    scanned = true;
    Set<String> taken = new TreeSet<>();
    Set<String> names = new TreeSet<>(files.keySet());
    names.addAll(listing.keySet());
    for (String name : names) {
      TrackedFile tracked = files.computeIfAbsent(name, n -> new TrackedFile());
      Path path = listing.getOrDefault(name, root.resolve(name));
      Optional<TrackedFile.Observation> version = tracked.observe(look(path, tracked), initial);
      if (version.isPresent()) {
        taken.add(name);
        take(name, tracked, version.get(), events);
      }
    }
    if (initial || !taken.isEmpty()) {
      events.addAll(reconcile(taken, events));
    }
    return new DirectoryScan(initial, events, files.size(), recorder.size());
  }

  /** Applies a version of a file that is due: its objects, its parse error, or its removal. */
  private void take(
      String name, TrackedFile tracked, TrackedFile.Observation version, List<LogEvent> errors) {
    if (version.hash().equals(TrackedFile.ABSENT)) {
      files.remove(name);
      return;
    }
    if (version.hash().startsWith(TrackedFile.UNREADABLE)) {
      String reason = version.hash().substring(TrackedFile.UNREADABLE.length());
      errors.add(new SourceError(source, name, 0, "cannot read the file: " + reason));
      return;
    }
    ParsedFile parsed = ManifestParser.parse(version.content());
    if (parsed instanceof ParsedFile.Failure failure) {
      errors.add(new SourceError(source, name, failure.line(), failure.reason()));
      return;
    }
    ParsedFile.Objects objects = (ParsedFile.Objects) parsed;
    tracked.contribute(objects.manifests());
    if (objects.skipped() > 0) {
      LOG.atDebug()
          .addKeyValue("file", name)
          .addKeyValue("documents", objects.skipped())
          .log("skipped documents that are not Kubernetes objects");
    }
  }

  /**
   * The declared objects (last declaration of a key wins) reconciled with the record. Duplicates
   * are reported when one of the files involved was taken in this pass, so not on every poll.
   */
  private List<LogEvent> reconcile(Set<String> taken, List<LogEvent> errors) {
    Map<ObjectKey, Placement> winners = new LinkedHashMap<>();
    boolean everyFileKnown = true;
    for (Map.Entry<String, TrackedFile> file : files.entrySet()) {
      Optional<List<Manifest>> contribution = file.getValue().contribution();
      everyFileKnown &= contribution.isPresent() || file.getValue().takenHash() == null;
      for (Manifest manifest : contribution.orElse(List.of())) {
        Placement placement = new Placement(file.getKey(), manifest);
        Placement ignored = winners.remove(manifest.key());
        if (ignored != null && (taken.contains(ignored.file()) || taken.contains(file.getKey()))) {
          errors.add(
              duplicate(
                  source,
                  ignored.file(),
                  ignored.manifest(),
                  placement.file(),
                  placement.manifest()));
        }
        winners.put(manifest.key(), placement);
      }
    }
    List<Manifest> declared = winners.values().stream().map(Placement::manifest).toList();
    return new ArrayList<>(recorder.reconcile(declared, everyFileKnown));
  }

  private record Placement(String file, Manifest manifest) {}

  /** The error a declaration that a later one of the same object overrides is recorded as. */
  static SourceError duplicate(
      String source, String ignoredFile, Manifest ignored, String winnerFile, Manifest winner) {
    String where =
        ignoredFile.equals(winnerFile)
            ? "again at line " + winner.line()
            : "again in " + winnerFile + " at line " + winner.line();
    return new SourceError(
        source,
        ignoredFile,
        ignored.line(),
        ignored.key()
            + " is declared "
            + where
            + ", which is the one taken (the last declaration in path order wins)");
  }

  /** What a poll sees of one file, reading it only when its attributes say it may have changed. */
  private TrackedFile.Observation look(Path path, TrackedFile tracked) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return new TrackedFile.Observation(TrackedFile.ABSENT, null);
      }
      TrackedFile.Stat stat =
          new TrackedFile.Stat(
              attributes.size(), attributes.lastModifiedTime().toMillis(), attributes.fileKey());
      Optional<String> unchanged = tracked.unchanged(stat);
      if (unchanged.isPresent()) {
        return new TrackedFile.Observation(unchanged.get(), null);
      }
      long readAt = System.currentTimeMillis();
      byte[] content = Files.readAllBytes(path);
      String hash = sha256(content);
      tracked.read(stat, readAt, hash);
      return new TrackedFile.Observation(hash, content);
    } catch (NoSuchFileException e) {
      return new TrackedFile.Observation(TrackedFile.ABSENT, null);
    } catch (IOException e) {
      return new TrackedFile.Observation(TrackedFile.UNREADABLE + e, null);
    }
  }

  /** Every manifest file below the root by its path relative to the root, '/'-separated. */
  private SortedMap<String, Path> list() throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "not a directory");
    }
    SortedMap<String, Path> found = new TreeMap<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            return dir.equals(root) || !isHidden(dir)
                ? FileVisitResult.CONTINUE
                : FileVisitResult.SKIP_SUBTREE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            String name = file.getFileName().toString();
            if (!isHidden(file) && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
              found.put(root.relativize(file).toString().replace(File.separatorChar, '/'), file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            // a file removed while walking, or a directory we may not enter: not ours to report
            return FileVisitResult.CONTINUE;
          }
        });
    return found;
  }

  private static boolean isHidden(Path path) {
    return path.getFileName().toString().startsWith(".");
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Options of a {@link DirectoryWatcher}; every one has a default. */
  public static final class Builder {
    private final Path directory;
    private Map<ObjectKey, WatchEvent> recorded = Map.of();
    private long resourceVersionFloor;
    private SecretValues secretValues = new SecretValues();
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Scheduler scheduler = Schedulers.io();
    private Clock clock = Clock.systemUTC();

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * The objects this source recorded before (the current UPSERT of each key, e.g. from the world
     * state at the log's end): the first scan emits only what differs from them, and deletes those
     * no file declares any more. Default: none.
     */
    public Builder recorded(Map<ObjectKey, WatchEvent> objects) {
      this.recorded = Map.copyOf(objects);
      return this;
    }

    /**
     * Resource versions issued from now on are above this (and above every recorded one). Pass the
     * log's latest seq to be sure no version is ever issued twice, deleted objects included.
     */
    public Builder resourceVersionFloor(long floor) {
      this.resourceVersionFloor = floor;
      return this;
    }

    /** Where Secret values go; default: a new store, see {@link #secretValues()}. */
    public Builder secretValues(SecretValues values) {
      this.secretValues = Objects.requireNonNull(values, "values");
      return this;
    }

    /** Time between polls after the first scan; default 500 ms. */
    public Builder pollInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("poll interval must be positive: " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    /** Where scans run (they block on file reads); default {@link Schedulers#io()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The clock that stamps {@code metadata.creationTimestamp} on objects first recorded; default
     * {@link Clock#systemUTC()}.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public DirectoryWatcher build() {
      return new DirectoryWatcher(this);
    }
  }
}
