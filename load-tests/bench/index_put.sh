#!/usr/bin/env bash
# PutItem on a table with a global index against the same table without one: what keeping an
# index costs a write. Each run starts its own server (bin/eddy, a fresh data directory), creates
# the benchmark's table (pk S, sk N) with or without a KEYS_ONLY global index on `version`, an
# attribute every put of put.lua changes, warms up, then runs wrk and prints req/s, p99 and the
# server's CPU per put (its utime + stime over the measured run).
#
#   load-tests/bench/index_put.sh                  # one run with the index, one without
#   KINDS="gsi gsi nogsi" EDDY_JAR=/path/to/other.jar load-tests/bench/index_put.sh
#   IDLE_TABLES=20 KINDS=nogsi load-tests/bench/index_put.sh   # beside 20 idle tables with 2 indexes each
#
# Needs wrk and the AWS CLI, and the Eddy jar (mvn -B -q package -DskipTests).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${BENCH_WORK:-/tmp/eddy-index-put}"
kinds="${KINDS:-gsi nogsi}"
duration="${DURATION:-25s}"
warmup="${WARMUP:-15s}"
port="${PORT:-8142}"
idle_tables="${IDLE_TABLES:-0}"
endpoint="http://127.0.0.1:$port"
export BENCH_DIR="$here" BENCH_TABLE=gsibench
export AWS_ACCESS_KEY_ID=dev AWS_SECRET_ACCESS_KEY=dev AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
ticks_per_second=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() {
  local kind=$1 log="$work/eddy-$kind.log"
  rm -rf "$work/data" && mkdir -p "$work"
  EDDY_CDS=off "$repo/bin/eddy" --port "$port" --data-dir "$work/data" >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 60); do grep -q "Eddy ready" "$log" && break; sleep 1; done
  local index=() defined=()
  if [[ $kind == gsi ]]; then
    defined=(AttributeName=version,AttributeType=N)
    index=(--global-secondary-indexes 'IndexName=byver,KeySchema=[{AttributeName=version,KeyType=HASH}],Projection={ProjectionType=KEYS_ONLY}')
  fi
  aws dynamodb create-table --endpoint-url "$endpoint" --table-name gsibench --billing-mode PAY_PER_REQUEST \
    --attribute-definitions AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=N "${defined[@]}" \
    --key-schema AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE "${index[@]}" >/dev/null
  for t in $(seq "$idle_tables"); do
    aws dynamodb create-table --endpoint-url "$endpoint" --table-name "idle$t" --billing-mode PAY_PER_REQUEST \
      --attribute-definitions AttributeName=pk,AttributeType=S AttributeName=a,AttributeType=S AttributeName=b,AttributeType=S \
      --key-schema AttributeName=pk,KeyType=HASH --global-secondary-indexes \
      'IndexName=byA,KeySchema=[{AttributeName=a,KeyType=HASH}],Projection={ProjectionType=KEYS_ONLY}' \
      'IndexName=byB,KeySchema=[{AttributeName=b,KeyType=HASH}],Projection={ProjectionType=KEYS_ONLY}' >/dev/null
  done
  wrk -t2 -c64 -d"$warmup" -s "$here/put.lua" "$endpoint/" >/dev/null
  # bin/eddy execs java, so its pid is the server's.
  local before out after
  before=$(cpu_ticks "$pid")
  out=$(wrk -t2 -c64 -d"$duration" --latency -s "$here/put.lua" "$endpoint/")
  after=$(cpu_ticks "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local requests rate p99
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '| %s, %s idle tables | %s req/s | p99 %s | %s µs CPU a put |\n' "$kind" "$idle_tables" "$rate" "$p99" \
    "$(( (after - before) * 1000000 / ticks_per_second / requests ))"
}

for kind in $kinds; do run "$kind"; done
