/**
 * The Kubernetes source of {@code aigw controller}: informers over the AI Gateway kinds, Secrets,
 * Gateways and ReferenceGrants, whose every change becomes a {@link io.aigw.core.event.WatchEvent}.
 *
 * <p>Rules a reader cannot see from one class alone:
 *
 * <ul>
 *   <li>Secrets: every Secret of the watched namespaces is recorded, but only as key names and
 *       SHA-256 digests ({@link io.aigw.watchers.secret.SecretDigester}). Recording all of them
 *       rather than only those a BackendSecurityPolicy names keeps the source independent of the
 *       projections (a policy that starts naming an existing Secret needs no re-read of it), and a
 *       digest entry is small. The informer's cache holds the values in memory, as any controller's
 *       does; nothing else does.
 *   <li>Status: the AI Gateway kinds are recorded without {@code status}, which aigw writes itself;
 *       other kinds keep theirs.
 *   <li>Identity and change: as for every source ({@link io.aigw.watchers.dedupe}); the uid,
 *       resourceVersion and generation are the server's.
 *   <li>Restart: the watcher is seeded with the objects the log holds; what the first list repeats
 *       is dropped, and what it lacks is deleted.
 * </ul>
 */
package io.aigw.watchers.informer;
