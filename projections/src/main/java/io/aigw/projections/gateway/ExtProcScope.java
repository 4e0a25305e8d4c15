package io.aigw.projections.gateway;

/** Which routes an ExtProc serves, which decides whether routes can take each other's requests. */
public enum ExtProcScope {
  /**
   * Each route's own ExtProc serves that route, as the generated objects set up in a cluster: of
   * the routes attached to a Gateway the same way, only the one with precedence is reached, and the
   * others say so in their status.
   */
  ROUTE,
  /** One ExtProc serves every route ({@code aigw run}): no route takes another's requests. */
  EVERY_ROUTE
}
