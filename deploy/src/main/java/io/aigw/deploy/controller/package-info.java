/**
 * {@code aigw controller}: the cluster's AI Gateway resources, Secrets (as digests), Gateways and
 * ReferenceGrants watched into the file log, folded by the gateway projection, and applied by the
 * replica that holds the Lease. Readiness comes after the informers have listed and the log is
 * folded: a replica that is not ready never stands for election, so a new leader never prunes what
 * it merely has not read yet.
 */
package io.aigw.deploy.controller;
