/**
 * Secret handling shared by every source: values are replaced by SHA-256 digests before anything is
 * recorded ({@link io.aigw.watchers.secret.SecretDigester}), and in {@code aigw run} the values are
 * held in memory only ({@link io.aigw.watchers.secret.SecretValues}).
 */
package io.aigw.watchers.secret;
