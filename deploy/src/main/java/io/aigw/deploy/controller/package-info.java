/**
 * {@code aigw controller}: the cluster's AI Gateway resources, Secrets (as digests), Gateways and
 * ReferenceGrants watched into the file log, folded by the gateway projection, and applied by the
 * replica that holds the Lease. Readiness comes after the informers have listed and the log is
 * folded: a replica that is not ready never stands for election, so a new leader never prunes what
 * it merely has not read yet. The leader also runs the credential rotators. The admin port serves
 * the admin API and dashboard ({@link io.aigw.deploy.controller.ControllerAdminServer}), restores
 * going to the API server, with the controller's own probes in front.
 */
package io.aigw.deploy.controller;
