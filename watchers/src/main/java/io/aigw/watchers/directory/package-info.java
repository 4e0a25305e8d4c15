/**
 * The directory source of {@code aigw run}: {@link io.aigw.watchers.directory.DirectoryWatcher}
 * turns a directory of manifests into the watch events an API server would have produced for {@code
 * kubectl apply} of it.
 *
 * <p>Rules a reader cannot see from one class alone:
 *
 * <ul>
 *   <li>Identity: {@code ObjectKey(group of apiVersion, kind, namespace, name)}; the namespace
 *       defaults to {@code default}, except for a fixed set of cluster-scoped kinds (Namespace,
 *       GatewayClass, ClusterRole, CustomResourceDefinition, …) whose namespace is empty. The uid
 *       is a name-based UUID of the key ({@link io.aigw.watchers.directory.ObjectUid}).
 *   <li>Change: only content counts ({@link io.aigw.watchers.dedupe.ContentHash}); {@code
 *       generation} goes up when anything outside {@code metadata} changes, {@code resourceVersion}
 *       on every event, from one counter per source. Fields a server owns ({@code uid}, {@code
 *       resourceVersion}, {@code generation}, {@code creationTimestamp}, {@code managedFields},
 *       {@code status}, …) are never taken from a file.
 *   <li>Errors: a file is taken whole or not at all. A file that does not parse, a document that is
 *       not a mapping, or an object without {@code apiVersion}, {@code kind} or {@code
 *       metadata.name} gives a {@code SourceError} and leaves the file's earlier objects in place.
 *       A document with neither {@code apiVersion} nor {@code kind} is not a Kubernetes object
 *       (e.g. a Helm values file) and is skipped without an error.
 *   <li>Duplicates: the declaration that comes last in path order (then document order) wins; a
 *       {@code SourceError} names the ignored one, reported when one of the two files changes.
 *   <li>Debounce: after the first scan, a file's new content (or its disappearance) is taken once
 *       two consecutive polls saw the same; files untouched for two seconds are not re-read while
 *       their size, modification time and file key stay the same.
 * </ul>
 */
package io.aigw.watchers.directory;
