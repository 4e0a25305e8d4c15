/**
 * The filter config: the contract between the controller (which writes it, one per AIGatewayRoute)
 * and the ExtProc (which reads it). Plain records, no Kubernetes types, versioned.
 *
 * <h2>Where it lives</h2>
 *
 * In a cluster the controller writes it as YAML into the ConfigMap {@code
 * ai-eg-route-extproc-<route>}, key {@code extproc-config.yaml}, mounted in the route's ExtProc pod
 * at {@code /etc/ai-gateway/extproc/extproc-config.yaml}. {@code aigw run} hands the same record to
 * its in-process ExtProc. {@link io.aigw.core.filterconfig.FilterConfigCodec} reads and writes it;
 * the text is stable (keys sorted, no UUIDs, no timestamps), so equal configs are equal bytes and
 * the Deployment's config-hash annotation changes exactly when the config does.
 *
 * <h2>Format ({@code version: aigw.filterconfig/v1})</h2>
 *
 * <pre>
 * version: aigw.filterconfig/v1           # a reader refuses any other version
 * routeNamespace: default                 # the AIGatewayRoute served
 * routeName: chat
 * hostnames: [ai.example.com]             # informational; Envoy matched them already
 * metadataNamespace: io.envoy.ai_gateway  # dynamic-metadata namespace of the costs
 * modelNameHeaderKey: x-ai-eg-model       # the ExtProc writes the request's model here
 * selectedBackendHeaderKey: x-ai-eg-selected-backend  # ... and the chosen backend here
 * rules:                                  # in order; the FIRST rule that matches is taken
 *   - name: rule/0                        # the rule's name, or rule/&lt;index&gt;
 *     matches:                            # ANY match; within a match ALL headers
 *       - headers:
 *           - {name: x-ai-eg-model, type: Exact, value: gpt-4o-mini}   # or RegularExpression
 *     backends:                           # candidates: lowest priority first, then by weight
 *       - backend: openai.default         # a backends[].name
 *         weight: 1
 *         priority: 0
 *         modelNameOverride: gpt-4o       # optional: the model sent upstream
 *         headerMutation: {set: [{name: x-team, value: a}], remove: [x-internal]}  # optional
 *         bodyMutation: {set: [{path: temperature, value: "0.2"}], remove: [user]}  # optional
 *         backendRule: 120s               # optional: x-aigw-backend-rule for the backend's
 *                                         #   HTTPRoute rule with this rule's timeouts
 * backends:
 *   - name: openai.default                # &lt;aiservicebackend&gt;.&lt;namespace&gt;
 *     schema: {name: OpenAI, prefix: v1}  # OpenAI/Anthropic: prefix (default v1); others: version
 *     auth:                               # optional; exactly one key:
 *       apiKey:                           #   apiKey | azureAPIKey | anthropicAPIKey: {key}
 *         key:                            #   aws: {region, credentialsFile?, profile}
 *           path: /etc/backend_security_policy/bsp-openai-key/apiKey   # mounted file
 *           secret: {namespace: default, name: openai-key, key: apiKey} # same, as a Secret key
 *                                         #   azure: {clientID, tenantID, clientSecret?, accessToken?}
 *                                         #   gcp: {projectName, region, credentialsFile?, accessToken?}
 *     credentialOverride:                 # optional: a request may bring its own credential
 *       headerName: x-aigw-api-key        # or dynamicMetadataNamespace + dynamicMetadataKey
 *       fallbackToConfigured: true        # false: 401 when the request brings none
 *       inputHeadersToRemove: [x-aigw-api-key]
 *     quota:                              # optional: token budgets of the backend's QuotaPolicies
 *       service: {policy: default/q, cost: total_tokens, limit: 1000000, duration: 1d}
 *       models:                           # by the model sent upstream (override, else request's)
 *         - model: gpt-4o-mini
 *           policy: default/q             # the QuotaPolicy, named in messages
 *           cost: "input_tokens + output_tokens * 6u"   # CEL over the variables of costs
 *           defaultBucket: {limit: 10000, duration: 1h}   # optional: every request of the
 *                                         #   model; 1s | 1m | 1h | 1d, aligned to the clock
 *           buckets:                      # buckets of selected clients (ALL headers match)
 *             - headers: [{name: x-tenant, type: Distinct}]   # or Exact / RegularExpression
 *               limit: 5000               #   with value, and invert
 *               duration: 1h
 *               shadow: false             # true: counted, never enforced
 * llmRequestCosts:                        # written after a 2xx response, from its token usage
 *   - {metadataKey: tokens, type: TotalToken}
 *   - {metadataKey: weighted, type: CEL, cel: "input_tokens + output_tokens * uint(3)"}
 * models:                                 # what GET /v1/models lists
 *   - {name: gpt-4o-mini, ownedBy: openai, createdAt: "2025-05-23T00:00:00Z"}
 * apiPaths:                               # optional: where the APIs are served; written only
 *   rootPrefix: /ai                       #   when not the defaults (/ and the prefixes below),
 *   endpointPrefixes: {anthropic: /anthropic, cohere: /cohere, openai: /}   # then every family
 *                                         # served: /ai/v1/chat/completions, /ai/anthropic/v1/messages
 * </pre>
 *
 * <h2>Semantics the ExtProc implements</h2>
 *
 * <ul>
 *   <li>The ExtProc reads the model from the request body, writes it to {@code modelNameHeaderKey},
 *       takes the first rule whose match succeeds (headers as the request has them plus that model
 *       header), picks a backend, writes its name to {@code selectedBackendHeaderKey} and clears
 *       the route cache: the generated HTTPRoute has one rule per backend matching that header, and
 *       one more per other set of timeouts the route's rules give it, matched also on {@code
 *       x-aigw-backend-rule} (the candidate's {@code backendRule}, which the ExtProc sets, or
 *       removes when a client sent it). No rule matches: 404. A rule whose backends could not be
 *       resolved keeps its place with an empty {@code backends} list (its requests must not fall
 *       through to a later rule): 503.
 *   <li>Credentials: in a cluster read {@link io.aigw.core.filterconfig.CredentialFile#path()}; in
 *       {@code aigw run} look {@link io.aigw.core.filterconfig.CredentialFile#secret()} up among
 *       the Secrets it holds. A credential is re-read when it changes (rotation).
 *   <li>Cost types count the response's usage; {@code CEL} expressions have been compiled by the
 *       controller (variables {@code model}, {@code backend} (the backend name), {@code route_name}
 *       ({@code namespace/name}) as strings; {@code input_tokens}, {@code cached_input_tokens},
 *       {@code cache_creation_input_tokens}, {@code output_tokens}, {@code total_tokens}, {@code
 *       reasoning_tokens} as uint) and return int ≥ 0 or uint.
 *   <li>Quotas: a candidate whose backend's budgets for the request are spent is passed over (a
 *       spent service budget, or every enforced bucket of the model the request draws on); when
 *       every candidate of the rule is, the answer is 429 with {@code retry-after}. After a 2xx
 *       response its cost is drawn from every bucket the request matched, shadow ones included. The
 *       counters are the ExtProc's own: each replica keeps its own.
 *   <li>{@code models[].createdAt} is the rule's {@code modelsCreatedAt}, else the route's {@code
 *       creationTimestamp}, else {@code 1970-01-01T00:00:00Z} (objects read from files have none),
 *       always RFC 3339 UTC.
 *   <li>{@code apiPaths}: one ExtProc serves one set of paths, its first config's; a config that
 *       serves them elsewhere is refused as a route that does not compile is. A family a later
 *       release names is skipped when read.
 *   <li>Optional fields are {@code null} in the records when absent and omitted from the text;
 *       lists are never null. {@code apiPaths} is never null: the defaults when absent, and left
 *       out of the text when they are.
 * </ul>
 */
package io.aigw.core.filterconfig;
