/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease: every replica watches and folds the
 * log (a hot standby); only the holder of the Lease applies and writes status.
 */
package io.aigw.deploy.leader;
