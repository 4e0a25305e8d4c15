package io.aigw.deploy.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.gateway.Names;
import io.aigw.deploy.apply.KubernetesApplier;
import io.aigw.deploy.apply.LiveObjects;
import io.aigw.deploy.apply.ResourceType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's watch of what aigw generated (every owned kind, labelled {@code
 * app.kubernetes.io/managed-by: aigw}, in the controller's namespaces): each change or delete is
 * handed to the applier, which repairs the object if the fold wants it otherwise. The drift check
 * still runs (and alone finds objects added by others); this makes a repair take a second instead
 * of up to its interval.
 */
final class GeneratedObjectsWatcher implements LiveObjects, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GeneratedObjectsWatcher.class);

  private record Informer(
      ResourceType type, SharedIndexInformer<GenericKubernetesResource> informer) {}

  private final KubernetesClient client;
  // read by the applier's thread while the informers of later kinds are still being started
  private final List<Informer> informers = new CopyOnWriteArrayList<>();

  private GeneratedObjectsWatcher(KubernetesClient client) {
    this.client = client;
  }

  /** Starts watching, in {@code namespaces} (all when empty), for {@code applier}. */
  static GeneratedObjectsWatcher start(
      KubernetesClient client, List<String> namespaces, KubernetesApplier applier) {
    GeneratedObjectsWatcher watch = new GeneratedObjectsWatcher(client);
    for (ResourceType type : ResourceType.OWNED) {
      for (FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, ?>
          scope : scopes(client, type, namespaces)) {
        SharedIndexInformer<GenericKubernetesResource> informer =
            scope.withLabel(Names.MANAGED_BY_LABEL, Names.MANAGED_BY).runnableInformer(0);
        informer.exceptionHandler(
            (started, error) -> {
              LOG.atDebug().log("watch of generated {} objects retrying: {}", type.kind(), error);
              return true;
            });
        informer.addEventHandler(watch.handler(type, applier));
        watch.informers.add(new Informer(type, informer));
        informer.start();
      }
    }
    return watch;
  }

  private static List<
          FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, ?>>
      scopes(KubernetesClient client, ResourceType type, List<String> namespaces) {
    var operation = client.genericKubernetesResources(type.definition());
    List<FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, ?>>
        scopes = new ArrayList<>();
    if (namespaces.isEmpty()) {
      scopes.add(operation.inAnyNamespace());
    } else {
      namespaces.forEach(namespace -> scopes.add(operation.inNamespace(namespace)));
    }
    return scopes;
  }

  private ResourceEventHandler<GenericKubernetesResource> handler(
      ResourceType type, KubernetesApplier applier) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource object) {
        // the first list adds every object, and the applier's own sweep compares them all; a new
        // object that is not wanted is rare, and the drift check prunes it
      }

      @Override
      public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
        applier.liveChanged(key(type, after), GeneratedObjectsWatcher.this);
      }

      @Override
      public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
        applier.liveChanged(key(type, object), GeneratedObjectsWatcher.this);
      }
    };
  }

  private static ObjectKey key(ResourceType type, GenericKubernetesResource object) {
    String namespace = object.getMetadata().getNamespace();
    return type.key(namespace == null ? "" : namespace, object.getMetadata().getName());
  }

  /** The informers' current version: level-triggered, however late the notification was. */
  @Override
  public Optional<JsonNode> get(ObjectKey key) {
    for (Informer informer : informers) {
      if (informer.type().matches(key)) {
        GenericKubernetesResource object =
            informer.informer().getStore().getByKey(key.namespace() + "/" + key.name());
        if (object != null) {
          return Optional.of(
              CanonicalJson.read(client.getKubernetesSerialization().asJson(object)));
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    informers.forEach(informer -> informer.informer().close());
  }
}
