/**
 * The leader's side of {@code aigw controller}: {@link io.aigw.deploy.apply.KubernetesApplier}
 * makes the cluster match the gateway projection and records what it did.
 *
 * <p>Rules a reader cannot see from one class alone:
 *
 * <ul>
 *   <li>Writing: server-side apply, field manager {@code aigw}, forced, of a body that holds only
 *       the fields aigw sets (so forcing only takes back aigw's own fields). When the server
 *       answers that it cannot apply ({@code 415}, or {@code 404} where a plain create then
 *       succeeds: fabric8's mock server does both) the applier switches, for good, to the fallback:
 *       create, or update under the live resourceVersion with aigw's fields put over the live
 *       object. Both paths are tested: apply against an in-memory server, the fallback against
 *       fabric8's CRUD mock server.
 *   <li>What aigw owns: the objects it labels {@code app.kubernetes.io/managed-by: aigw}, of the
 *       kinds it emits, in the namespaces it watches. Only those are ever pruned. An object of a
 *       generated name that is not aigw's (no label, and not owned by the route aigw generates it
 *       for) is never written either: the target is recorded as Failed with the reason until its
 *       owner renames, deletes or labels it ({@link io.aigw.deploy.apply.Ownership}).
 *   <li>Noop and drift: a live object matches when it has every field of the desired object with
 *       the same value ({@link io.aigw.deploy.apply.OwnedFields}; server defaults and other
 *       writers' fields do not count) and carries the hash of the desired object in the annotation
 *       {@value io.aigw.deploy.apply.AppliedObject#HASH_ANNOTATION} (which catches a field aigw has
 *       since stopped setting). The drift check compares every owned object this way.
 *   <li>Status: one merge patch of the status subresource per AI Gateway object, conditions
 *       replaced wholesale as upstream does, each with {@code observedGeneration}; {@code
 *       lastTransitionTime} is kept from the live condition of the same type while its status is
 *       unchanged.
 *   <li>Outcomes: every write (Created, Patched, Deleted), every Noop found at start, and every
 *       failure (Failed, with the server's message) is appended to the log as an {@code
 *       ApplyOutcome} carrying the seq of the desired state it applied. A change that leaves an
 *       object's rendered form as it was costs no call and records nothing.
 *   <li>Failures: 409, 429, 5xx and timeouts are retried per target with exponential backoff and
 *       jitter; other errors are recorded at once. A failing target never holds up another.
 * </ul>
 */
package io.aigw.deploy.apply;
