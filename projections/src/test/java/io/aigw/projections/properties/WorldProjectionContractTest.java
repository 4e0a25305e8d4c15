package io.aigw.projections.properties;

import io.aigw.core.codec.CanonicalJson;
import io.aigw.projections.Projection;
import io.aigw.projections.world.WorldObject;
import io.aigw.projections.world.WorldProjection;
import io.aigw.projections.world.WorldState;
import java.util.stream.Collectors;

class WorldProjectionContractTest extends ProjectionContract<WorldState> {

  @Override
  protected Projection<WorldState> projection() {
    return new WorldProjection();
  }

  @Override
  protected String render(WorldState state) {
    return "seq "
        + state.seq()
        + "\n"
        + state.objects().values().stream()
            .map(WorldProjectionContractTest::render)
            .collect(Collectors.joining("\n"));
  }

  private static String render(WorldObject object) {
    return object.key() + " @" + object.seq() + " " + CanonicalJson.write(object.object());
  }

  @Override
  protected Object content(WorldState state) {
    return state.objects();
  }
}
