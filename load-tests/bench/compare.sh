#!/usr/bin/env bash
# Side-by-side benchmark: the same workloads (PutItem, GetItem, Query Limit 10, 50/40/10 mix;
# 1 KB items, a 20,000-item table, random keys) against Eddy and the servers people run today.
#
#   load-tests/bench/compare.sh                    # all servers, wrk as the client
#   SERVERS="eddy dynalite" load-tests/bench/compare.sh
#   CLIENT=gatling load-tests/bench/compare.sh     # the Gatling simulations as the client
#
# Peers: dynalite (open source, LevelDB) and "noop", a Node.js HTTP server answering {} to every
# request (the ceiling a server on this machine and client can reach). Amazon's DynamoDB Local is
# not run: its licence is the vendor's own; docs/benchmarks.md quotes reference numbers for it.
# Clients: wrk (default; C, so it leaves the cores to the servers) or the Gatling simulations in
# load-tests (Java, SigV4-signed requests; on 2 cores the client saturates first).
# Needs: wrk (apt-get install wrk), node + npm (dynalite, the table's load), and the Eddy jar
# (mvn -B -q package -DskipTests, which also compiles the simulations). Run it on an otherwise
# idle machine: the client and the server share the cores. Prints a Markdown table; each cell is
# requests/s, p50 and p99 latency; then a row per peer with Eddy's throughput over the peer's.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${BENCH_WORK:-/tmp/eddy-bench}"
servers="${SERVERS:-eddy dynalite noop}"
client="${CLIENT:-wrk}"
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

# Each run prints "requests/s p50-ms p99-ms failed-requests".
run_wrk() { # port workload duration
  wrk -t"$threads" -c"$connections" -d"$3" --latency -s "$here/$2.lua" "http://127.0.0.1:$1/" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; return v * 1000 }
    /Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } /Non-2xx/ { failed = $5 }
    END { printf "%d %.2f %.2f %d\n", rps, p50, p99, failed }'
}

gatling_simulation() {
  case "$1" in
    put) echo PutItemSimulation ;; get) echo GetItemSimulation ;;
    query) echo QuerySimulation ;; mixed) echo MixedSimulation ;;
    *) echo "no Gatling simulation for $1" >&2; exit 2 ;;
  esac
}

run_gatling() { # port workload duration; the table is the one load.mjs loaded
  local seconds="${3%s}"
  if [[ "$3" == *m ]]; then seconds=$(( ${3%m} * 60 )); fi
  (cd "$repo" && mvn -B -q gatling:test -pl load-tests \
      -Dgatling.simulationClass="io.eddy.loadtests.$(gatling_simulation "$2")" \
      -Dendpoint="http://127.0.0.1:$1" -Dusers="$connections" -Dseconds="$seconds" \
      -Dtable="${BENCH_TABLE:-bench}" -DitemsPerKey="${BENCH_ITEMS_PER_KEY:-10}" \
      -Ditems=$(( ${BENCH_KEYS:-2000} * ${BENCH_ITEMS_PER_KEY:-10} )) -DskipLoad=true) >"$work/gatling.log" 2>&1 \
    || { echo "Gatling failed, see $work/gatling.log" >&2; exit 1; }
  # Gatling's closing summary, e.g. "> mean throughput (rps)   |  1,812.77 |  1,812.77 |  -"
  awk -F'|' '
    function n(v) { gsub(/[ ,]/, "", v); return v + 0 }
    /> request count/ { failed = n($4) } /50th percentile/ { p50 = n($2) } /99th percentile/ { p99 = n($2) }
    /> mean throughput/ { rps = n($2) }
    END { printf "%d %.2f %.2f %d\n", rps, p50, p99, failed }' "$work/gatling.log"
}

run() { # port workload duration
  case "$client" in
    wrk) run_wrk "$@" ;;
    gatling) run_gatling "$@" ;;
  esac
}

cell() { # "requests/s p50 p99 failed" -> a table cell
  awk '
    function grouped(n,  s, out) { s = sprintf("%d", n); while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) } return s out }
    { printf "%s req/s, p50 %s ms, p99 %s ms", grouped($1), $2 + 0, $3 + 0; if ($4 > 0) printf ", %s failed", grouped($4) }' <<<"$1"
}

# A wrong client or workload name fails here, before any server is started and loaded.
case "$client" in
  wrk) for w in $workloads; do [[ -f "$here/$w.lua" ]] || { echo "no wrk workload $w" >&2; exit 2; }; done ;;
  gatling) for w in $workloads; do gatling_simulation "$w" >/dev/null; done ;;
  *) echo "unknown client $client" >&2; exit 2 ;;
esac
prepare_peers
header="| server ($client) |"; rule="|---|"
for w in $workloads; do header+=" $w c=$connections |"; rule+="---|"; done
results=("$header" "$rule")
declare -A rps
for s in $servers; do
  port=$((port + 1))
  pid="$(start_server "$s" "$port")"
  trap 'kill $pid 2>/dev/null || true' EXIT
  await_port "$port"
  if [[ "$s" != noop ]]; then node "$here/load.mjs" "http://127.0.0.1:$port" >/dev/null; fi
  row="| $s |"
  for w in $workloads; do
    run "$port" "$w" "$warmup" >/dev/null   # JIT warm-up, not measured
    result="$(run "$port" "$w" "$duration")"
    rps[$s.$w]="${result%% *}"
    row+=" $(cell "$result") |"
  done
  results+=("$row")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$row" >&2
done
if [[ " $servers " == *" eddy "* ]]; then
  for s in $servers; do
    [[ "$s" == eddy ]] && continue
    row="| eddy / $s |"
    for w in $workloads; do
      row+=" $(awk -v e="${rps[eddy.$w]}" -v p="${rps[$s.$w]}" 'BEGIN { if (p > 0) printf "%.1fx", e / p; else printf "-" }') |"
    done
    results+=("$row")
  done
fi
printf '%s\n' "${results[@]}"
