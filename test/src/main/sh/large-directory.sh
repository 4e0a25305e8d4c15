#!/bin/sh
# aigw run on a directory of one large manifest: how long from start until the first scan is
# folded ("ready:"), and then until a route added to the directory is folded and reported.
#
#   test/src/main/sh/large-directory.sh JAR [ROUTES]
#
# ROUTES routes (default 3000), each with its own AIServiceBackend, in one file of about
# 330 bytes per object; the ports 18190 and 11190 must be free.
set -eu
jar=$1
routes=${2:-3000}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir "$work/dir"
i=0
while [ "$i" -lt "$routes" ]; do
  cat <<YAML
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIGatewayRoute
metadata: {name: big-$i, namespace: bigns}
spec:
  parentRefs: [{name: envoy-ai-gateway-basic, kind: Gateway, group: gateway.networking.k8s.io}]
  hostnames: ["h$i.example.com"]
  rules:
    - matches: [{headers: [{type: Exact, name: x-ai-eg-model, value: model-$i}]}]
      backendRefs: [{name: bb-$i}]
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIServiceBackend
metadata: {name: bb-$i, namespace: bigns}
spec:
  schema: {name: OpenAI}
  backendRef: {name: bb-$i, kind: Backend, group: gateway.envoyproxy.io}
---
YAML
  i=$((i + 1))
done > "$work/dir/big.yaml"
echo "$(wc -c < "$work/dir/big.yaml") bytes, $((routes * 2)) objects"

now() { date +%s.%N; }
wait_for() { # pattern, timeout in seconds
  n=0
  until grep -q "$1" "$work/run.log"; do
    n=$((n + 1))
    [ "$n" -gt $(($2 * 10)) ] && { echo "timed out waiting for: $1"; exit 1; }
    sleep 0.1
  done
}
start=$(now)
java -jar "$jar" run "$work/dir" --data "$work/data" --admin-port 18190 --extproc-port 11190 \
  > "$work/run.log" 2>&1 &
pid=$!
wait_for "ready:" 600
ready=$(now)
grep "ready:" "$work/run.log" | sed 's/^.*ready:/ready:/'
echo "ready $(echo "$ready - $start" | bc) s after start"
cat > "$work/dir/extra.yaml" <<YAML
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIGatewayRoute
metadata: {name: extra, namespace: bigns}
spec:
  rules: [{backendRefs: [{name: bb-0}]}]
YAML
added=$(now)
wait_for "AIGatewayRoute bigns/extra" 600
echo "a route added then: folded and reported $(echo "$(now) - $added" | bc) s after the write"
