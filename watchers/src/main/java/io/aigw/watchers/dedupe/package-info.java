/**
 * De-duplication shared by every source: the content hash that decides whether an object changed,
 * and the filter that drops what a relist or resync repeats.
 */
package io.aigw.watchers.dedupe;
