package io.aigw.projections.filterconfig;

import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.AIServiceBackend;
import io.aigw.core.model.AiResource;
import io.aigw.core.model.AiResourceReader;
import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.core.model.GatewayConfig;
import io.aigw.core.model.QuotaPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** References held in plain maps, filled from YAML; every object gets the next seq. */
final class FakeReferences implements References {

  private final Map<ObjectKey, Versioned<AIServiceBackend>> backends = new HashMap<>();
  private final Map<ObjectKey, List<Versioned<BackendSecurityPolicy>>> policies = new HashMap<>();
  private final Map<String, SecretKeys> secrets = new HashMap<>();
  private final Map<String, Long> grants = new HashMap<>();
  private GatewayConfigBinding gatewayConfig = GatewayConfigBinding.NONE;
  private final Map<String, BackendHost> hosts = new HashMap<>();
  private long seq = 100;

  static <T extends AiResource> Versioned<T> read(String yaml, Class<T> type, long seq) {
    try {
      var node = YamlDocuments.parse(yaml).get(0).node();
      return new Versioned<>(type.cast(AiResourceReader.read(node).orElseThrow()), seq);
    } catch (YamlDocuments.YamlSyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  FakeReferences backend(String yaml) {
    var backend = read(yaml, AIServiceBackend.class, seq++);
    backends.put(References.backendKey(backend.namespace(), backend.name()), backend);
    return this;
  }

  FakeReferences policy(String yaml) {
    var policy = read(yaml, BackendSecurityPolicy.class, seq++);
    for (var target : policy.resource().spec().targetRefs()) {
      policies
          .computeIfAbsent(
              References.backendKey(policy.namespace(), target.name()), k -> new ArrayList<>())
          .add(policy);
    }
    return this;
  }

  FakeReferences secret(String namespace, String name, String... keys) {
    secrets.put(namespace + "/" + name, new SecretKeys(Set.of(keys), seq++));
    return this;
  }

  FakeReferences grant(String from, String to) {
    grants.put(from + ">" + to, seq++);
    return this;
  }

  @Override
  public Optional<Versioned<AIServiceBackend>> backend(ObjectKey key) {
    return Optional.ofNullable(backends.get(key));
  }

  @Override
  public boolean rejected(ObjectKey key) {
    return false;
  }

  @Override
  public List<Versioned<BackendSecurityPolicy>> policiesOf(ObjectKey backendKey) {
    return policies.getOrDefault(backendKey, List.of());
  }

  @Override
  public List<Versioned<QuotaPolicy>> quotasOf(ObjectKey backendKey) {
    return List.of();
  }

  @Override
  public Optional<Long> grant(String fromNamespace, String toNamespace, String backendName) {
    return Optional.ofNullable(grants.get(fromNamespace + ">" + toNamespace));
  }

  /** Every route follows this GatewayConfig. */
  FakeReferences gatewayConfig(String yaml) {
    long at = seq++;
    var config = Optional.of(read(yaml, GatewayConfig.class, at));
    gatewayConfig = new GatewayConfigBinding(config, config, List.of(), new TreeSet<>(Set.of(at)));
    return this;
  }

  /** The Envoy Gateway Backend of AIServiceBackend {@code namespace/name} has this host. */
  FakeReferences host(String namespace, String name, String hostname) {
    hosts.put(namespace + "/" + name, new BackendHost(hostname, seq++));
    return this;
  }

  @Override
  public Optional<BackendHost> backendHost(Versioned<AIServiceBackend> backend) {
    return Optional.ofNullable(hosts.get(backend.namespace() + "/" + backend.name()));
  }

  @Override
  public GatewayConfigBinding gatewayConfigOf(Versioned<AIGatewayRoute> route) {
    return gatewayConfig;
  }

  @Override
  public Optional<SecretKeys> secret(String namespace, String name) {
    return Optional.ofNullable(secrets.get(namespace + "/" + name));
  }
}
