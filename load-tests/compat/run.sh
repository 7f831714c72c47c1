#!/usr/bin/env bash
# Runs the boto3 and AWS SDK for JavaScript v3 smoke checks (boto3_smoke.py, js_smoke.mjs) against
# a fresh Eddy on loopback: tables with indexes and a stream, batches, queries and paginators,
# conditions, transactions, PartiQL, streams, TTL, backups settings and DynamoDB's refusals, each
# through the SDK's own high-level API. Needs the server jar (mvn -B -q package -DskipTests),
# python3 with boto3 (apt-get install python3-boto3) and node with npm (the SDK is fetched into
# $COMPAT_WORK once). A check whose client is missing is skipped with a note.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${COMPAT_WORK:-/tmp/eddy-compat}
port=${PORT:-8124}
mkdir -p "$work"
rm -rf "$work/data"
"$repo/bin/eddy" --port "$port" --data-dir "$work/data" >"$work/eddy.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then break; fi
  sleep 0.5
done
status=0
if python3 -c 'import boto3' 2>/dev/null; then
  python3 "$repo/load-tests/compat/boto3_smoke.py" "http://127.0.0.1:$port" || status=1
else
  echo "boto3 not installed: skipped (apt-get install python3-boto3)"
fi
if command -v npm >/dev/null; then
  # SearchVectorsCommand came with vector indexes: an older SDK fetched earlier is replaced.
  if [ ! -d "$work/js/node_modules/@aws-sdk/lib-dynamodb" ] \
      || ! grep -q SearchVectorsCommand "$work/js/node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js" 2>/dev/null; then
    mkdir -p "$work/js"
    (cd "$work/js" && npm init -y >/dev/null && npm install --silent @aws-sdk/client-dynamodb @aws-sdk/lib-dynamodb @aws-sdk/client-dynamodb-streams)
  fi
  cp "$repo/load-tests/compat/js_smoke.mjs" "$work/js/"
  (cd "$work/js" && node js_smoke.mjs "http://127.0.0.1:$port") || status=1
else
  echo "npm not installed: the JS SDK check skipped"
fi
if grep -q ' ERROR ' "$work/eddy.log"; then
  echo "the server logged errors:"; grep ' ERROR ' "$work/eddy.log"; status=1
fi
exit $status
