#!/usr/bin/env bash
# Side-by-side benchmark: the same wrk workloads (PutItem, GetItem, Query Limit 10, 50/40/10 mix;
# 1 KB items, a 20,000-item table, random keys) against Eddy and the servers people run today.
#
#   load-tests/bench/compare.sh            # all servers
#   SERVERS="eddy dynalite" load-tests/bench/compare.sh
#
# Peers: dynalite (open source, LevelDB) and "noop", a Node.js HTTP server answering {} to every
# request (the ceiling a server on this machine and client can reach). Amazon's DynamoDB Local is
# not run: its licence is the vendor's own; docs/benchmarks.md quotes reference numbers for it.
# Needs: wrk (apt-get install wrk), node + npm (dynalite), and the Eddy jar
# (mvn -B -q package -DskipTests). Run it on an otherwise idle machine: wrk and the server share
# the cores. Prints a Markdown table; each cell is requests/s and p99 latency.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${BENCH_WORK:-/tmp/eddy-bench}"
servers="${SERVERS:-eddy dynalite noop}"
workloads="${WORKLOADS:-put get query mixed}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-2}"
duration="${DURATION:-30s}"
warmup="${WARMUP:-10s}"
port=8700
export BENCH_DIR="$here"

mkdir -p "$work"

prepare_peers() {
  if [[ " $servers " == *" dynalite "* && ! -x "$work/node_modules/.bin/dynalite" ]]; then
    (cd "$work" && npm init -y >/dev/null && npm install --silent dynalite@4.0.0 >/dev/null)
  fi
}

start_server() { # name port -> pid
  local name="$1" p="$2" data="$work/data-$1"
  rm -rf "$data"; mkdir -p "$data"
  case "$name" in
    eddy) "$repo/bin/eddy" --port "$p" --data-dir "$data" >"$work/$name.log" 2>&1 & ;; # as README recommends
    noop) node -e 'require("http").createServer((q, r) => { q.resume(); q.on("end", () => {
        r.writeHead(200, {"Content-Type": "application/x-amz-json-1.0"}); r.end("{}"); }); }).listen(+process.argv[1], "127.0.0.1")' \
        "$p" >"$work/$name.log" 2>&1 & ;;
    dynalite) "$work/node_modules/.bin/dynalite" --port "$p" --path "$data" >"$work/$name.log" 2>&1 & ;;
    *) echo "unknown server $name" >&2; exit 2 ;;
  esac
  echo $!
}

await_port() {
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null "http://127.0.0.1:$1/"; then return 0; fi
    sleep 0.5
  done
  echo "server on port $1 did not start" >&2; return 1
}

run_wrk() { # port workload duration -> "req/s p99"
  local out
  out="$(wrk -t"$threads" -c"$connections" -d"$3" --latency -s "$here/$2.lua" "http://127.0.0.1:$1/")"
  local rps p99 errors
  rps="$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  errors="$(awk '/Non-2xx/ {print $5}' <<<"$out")"
  echo "$rps req/s, p99 $p99${errors:+, $errors non-2xx}"
}

prepare_peers
header="| server |"; rule="|---|"
for w in $workloads; do header+=" $w c=$connections |"; rule+="---|"; done
results=("$header" "$rule")
for s in $servers; do
  port=$((port + 1))
  pid="$(start_server "$s" "$port")"
  trap 'kill $pid 2>/dev/null || true' EXIT
  await_port "$port"
  if [[ "$s" != noop ]]; then node "$here/load.mjs" "http://127.0.0.1:$port" >/dev/null; fi
  row="| $s |"
  for w in $workloads; do
    run_wrk "$port" "$w" "$warmup" >/dev/null   # JIT warm-up, not measured
    row+=" $(run_wrk "$port" "$w" "$duration") |"
  done
  results+=("$row")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$row" >&2
done
printf '%s\n' "${results[@]}"
