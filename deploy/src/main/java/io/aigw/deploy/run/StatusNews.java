package io.aigw.deploy.run;

import io.aigw.core.event.ObjectKey;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.status.ResourceStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code aigw run} says about statuses after a scan of the directory: each object the scan
 * left not accepted, or not accepted for another reason than before, and each it made accepted
 * again, whichever objects the scan wrote (deleting a backend leaves the routes that name it not
 * accepted). A typo leaves the version before it in service, and the terminal should say so.
 *
 * @param status the object's status after the entry
 */
public record StatusNews(ResourceStatus status) {

  public boolean accepted() {
    return status.isAccepted();
  }

  /**
   * The news between two states, the later folded from the earlier by a scan's entries: every
   * status is compared, once per scan (a scan is a few entries, or a whole directory at start).
   */
  public static List<StatusNews> between(GatewayState before, GatewayState after) {
    List<StatusNews> news = new ArrayList<>();
    after
        .statuses()
        .forEach(
            (key, now) -> {
              ResourceStatus was = before.statuses().get(key);
              boolean wasAccepted = was == null || was.isAccepted();
              // accepted again, refused, or refused for another reason
              if (now.isAccepted() != wasAccepted
                  || !now.isAccepted() && !was.message().equals(now.message())) {
                news.add(new StatusNews(now));
              }
            });
    return news;
  }

  /** Every object of {@code state} that is not accepted, in key order. */
  public static List<ResourceStatus> notAccepted(GatewayState state) {
    return state.statuses().values().stream().filter(s -> !s.isAccepted()).toList();
  }

  /** {@code AIGatewayRoute default/chat is NotAccepted: …} or {@code … is Accepted again}. */
  public String describe() {
    return describe(status);
  }

  public static String describe(ResourceStatus status) {
    ObjectKey key = status.key();
    String name = key.namespace().isEmpty() ? key.name() : key.namespace() + "/" + key.name();
    return key.kind()
        + " "
        + name
        + (status.isAccepted() ? " is Accepted again" : " is NotAccepted: " + status.message());
  }
}
