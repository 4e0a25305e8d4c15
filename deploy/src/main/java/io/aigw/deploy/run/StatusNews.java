package io.aigw.deploy.run;

import io.aigw.core.event.ObjectKey;
import io.aigw.projections.gateway.ChangedObjects;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.status.ResourceStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What {@code aigw run} says about statuses after an entry: each object the entry left not
 * accepted, or not accepted for another reason than before, and each it made accepted again,
 * whichever object the entry wrote (deleting a backend leaves the routes that name it not
 * accepted). A typo leaves the version before it in service, and the terminal should say so.
 *
 * @param status the object's status after the entry
 */
public record StatusNews(ResourceStatus status) {

  public boolean accepted() {
    return status.isAccepted();
  }

  /**
   * The news between two states one folded from the other, about the objects the fold says may have
   * changed; about {@code written} (the object the entry wrote) alone when that is not known (more
   * routes changed than the fold keeps track of), since comparing every status would cost what the
   * fold saved.
   */
  public static List<StatusNews> between(
      GatewayState before, GatewayState after, Optional<ObjectKey> written) {
    List<StatusNews> news = new ArrayList<>();
    Collection<ObjectKey> keys =
        after
            .changedFrom(before)
            .<Collection<ObjectKey>>map(ChangedObjects::statuses)
            .orElseGet(() -> written.map(List::of).orElse(List.of()));
    for (ObjectKey key : keys) {
      ResourceStatus was = before.statuses().get(key);
      ResourceStatus now = after.statuses().get(key);
      if (now == null) {
        continue;
      }
      boolean wasAccepted = was == null || was.isAccepted();
      // accepted again, refused, or refused for another reason
      if (now.isAccepted() != wasAccepted
          || !now.isAccepted() && !was.message().equals(now.message())) {
        news.add(new StatusNews(now));
      }
    }
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
