#!/usr/bin/env bash
# Big-table run (issue 5): Eddy with a 512 MB heap on a fresh data directory loads N items of
# ~1 KB (random payloads, so they take their size on disk; BatchWriteItem, 25 items a call, many
# connections); at several table sizes, once the load's background work has settled and reads
# no longer start compactions, it measures GetItem and Query (Limit 10) at low load (wrk, 16
# connections; req/s, p50, p99 and the server's CPU time per request, which noise on the machine
# disturbs less) and the heap left after a full GC; then it times a restart after a clean
# shutdown (SIGTERM) and one after kill -9 under write load, each until a GetItem of an existing
# item succeeds, and how many journal events the partitions replayed. Prints a Markdown table.
#
#   load-tests/bench/bigtable.sh                        # 10,000,000 items (tens of GB on disk)
#   BIGTABLE_ITEMS=200000 load-tests/bench/bigtable.sh  # a quick check
#
# The server runs through bin/eddy with its class-data-sharing archive (which bin/eddy makes on the
# first start of a build); the clean restart is timed once more without the archive (plain java -jar) to compare.
#
# Settings (environment): BIGTABLE_ITEMS (10000000), BIGTABLE_STEPS ("1 10 100": percent of the
# items after which latency is measured), BIGTABLE_HEAP (512m), BIGTABLE_LOAD_CONNECTIONS (32),
# CONNECTIONS (16), THREADS (2), DURATION (15s), WARMUP (5s: the first warm-up run of each
# workload; runs of 20 s follow until one starts no compaction), FIRST_WARMUP (30s: GetItem's first
# at the first step, while the JIT compiler is still busy), BENCH_WORK (/tmp/eddy-bigtable; the data
# directory goes under it and is deleted first), BIGTABLE_PORT (8790).
# Needs wrk, node, curl, jcmd (a JDK) and the jar (mvn -B -q package -DskipTests). Run it on an
# otherwise idle machine: the loader, wrk and the server share the cores.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
jar="$repo/gateway/target/eddy-server.jar"
items="${BIGTABLE_ITEMS:-10000000}"
steps="${BIGTABLE_STEPS:-1 10 100}"
heap="${BIGTABLE_HEAP:-512m}"
load_connections="${BIGTABLE_LOAD_CONNECTIONS:-32}"
connections="${CONNECTIONS:-16}"
threads="${THREADS:-2}"
duration="${DURATION:-15s}"
warmup="${WARMUP:-5s}"
first_warmup="${FIRST_WARMUP:-30s}"
work="${BENCH_WORK:-/tmp/eddy-bigtable}"
port="${BIGTABLE_PORT:-8790}"
per_key=10
data="$work/data"
log="$work/eddy.log"
endpoint="http://127.0.0.1:$port"
export BENCH_DIR="$here" BENCH_ITEMS_PER_KEY="$per_key"

[[ -f "$jar" ]] || { echo "no $jar: run mvn -B -q package -DskipTests first" >&2; exit 2; }
mkdir -p "$work"
rm -rf "$data"
# A loaded item costs ~1.1 KB in the journal (the event) and ~1.1 KB in the item store, plus
# LevelDB's compaction headroom: ask for 3 KB an item.
need_kb=$((items * 3))
free_kb="$(df -Pk "$work" | awk 'NR == 2 {print $4}')"
if ((free_kb < need_kb)); then
  echo "$work has $((free_kb / 1024 / 1024)) GB free; $items items need about $((need_kb / 1024 / 1024)) GB" >&2
  exit 2
fi

pid=""
trap '[[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true' EXIT

start_server() { # [plain]: without the class-data-sharing archive
  if [[ "${1:-}" == plain ]]; then
    java -Xmx"$heap" -jar "$jar" --port "$port" --data-dir "$data" >>"$log" 2>&1 &
  else
    JAVA_OPTS="-Xmx$heap" "$repo/bin/eddy" --port "$port" --data-dir "$data" >>"$log" 2>&1 &
  fi
  pid=$! # bin/eddy execs java: this is the JVM
}

now_ms() { date +%s%3N; }

call() { # operation body -> response body
  curl -s -m 5 "$endpoint/" -H "X-Amz-Target: DynamoDB_20120810.$1" -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'X-Amz-Date: 20260101T000000Z' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=dev/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00' \
    -d "$2" || true
}

# Milliseconds from $1 (epoch ms) until a GetItem of the first item answers with the item.
until_get_succeeds() {
  local started="$1" deadline=$(($(now_ms) + 180000))
  while (($(now_ms) < deadline)); do
    if call GetItem '{"TableName":"bench","Key":{"pk":{"S":"user-0"},"sk":{"N":"0"}}}' | grep -q '"Item"'; then
      echo $(($(now_ms) - started))
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "server exited; see $log" >&2; return 1; }
    sleep 0.02
  done
  echo "no GetItem answer within 180 s; see $log" >&2
  return 1
}

metric() { # name -> value from /metrics
  curl -s "$endpoint/metrics" | awk -v name="$1" '$1 == name {printf "%d", $2}'
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # the server's user + system time

run_wrk() { # workload keys [warm-up] -> "req/s, p50, p99, µs of server CPU a request"
  local out before after
  BENCH_KEYS="$2" wrk -t"$threads" -c"$connections" -d"${3:-$warmup}" -s "$here/$1.lua" "$endpoint/" >/dev/null
  before="$(cpu_ticks)"
  out="$(BENCH_KEYS="$2" wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/$1.lua" "$endpoint/")"
  after="$(cpu_ticks)"
  local requests rps p50 p99 errors cpu
  requests="$(awk '/requests in/ {print $1}' <<<"$out")"
  rps="$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  errors="$(awk '/Non-2xx/ {print $5}' <<<"$out")"
  cpu=$(((after - before) * 1000000 / $(getconf CLK_TCK) / (requests > 0 ? requests : 1)))
  echo "$rps req/s, p50 $p50, p99 $p99, $cpu µs CPU${errors:+, $errors non-2xx}"
}

heap_after_gc() { # -> MB used after a full GC (all generations: G1, parallel or serial collector)
  jcmd "$pid" GC.run >/dev/null
  jcmd "$pid" GC.heap_info | awk '/garbage-first heap|PSYoungGen|ParOldGen|def new generation|tenured generation/ {
    for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); kb += v } }
    END { printf "%d MB", kb / 1024 }'
}

disk() { du -sh "$data" | awk '{print $1}'; }

# LevelDB logs each compaction in its LOG: the item store's, and the journal's index and log.
compaction_log_size() { cat "$data/items/LOG" "$data/journal/LOG" "$data/journal/log/LOG" 2>/dev/null | wc -c; }

# Seconds until the background work of what was just loaded settles: at least one journal
# trimming pass (every minute; it deletes the load's events) and then no compaction for 10 s
# (at most 15 minutes), so that latency is measured on the table, not on the load's debt.
settle() {
  local started last="" size
  started="$(date +%s)"
  while (($(date +%s) - started < 900)); do
    size="$(compaction_log_size)"
    [[ "$size" == "$last" ]] && (($(date +%s) - started >= 70)) && break
    last="$size"
    sleep 10
  done
  echo $(($(date +%s) - started - 10))
}

# Runs a workload until a whole run of it starts no compaction (at most 15 minutes) and answers
# how many seconds that took: LevelDB compacts a table file that reads keep having to look past
# (its "seek compactions"), so random reads over a freshly loaded big table rewrite it for minutes.
warm() { # workload keys first-run -> seconds
  local started before run="$3"
  started="$(date +%s)"
  while :; do
    before="$(compaction_log_size)"
    BENCH_KEYS="$2" wrk -t"$threads" -c"$connections" -d"$run" -s "$here/$1.lua" "$endpoint/" >/dev/null
    [[ "$(compaction_log_size)" == "$before" ]] && break
    (($(date +%s) - started < 900)) || break
    run=20s # long enough to see a compaction while they still come every few seconds
  done
  echo $(($(date +%s) - started))
}

echo "bigtable: $items items, heap $heap, data in $data, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
start_server
until curl -s -o /dev/null "$endpoint/"; do
  kill -0 "$pid" 2>/dev/null || { echo "server exited; see $log" >&2; exit 1; }
  sleep 0.2
done

results=("| items | load rate | settled (load, then reads) | GetItem c=$connections | Query (Limit 10) c=$connections | heap after full GC | on disk |"
  "|---|---|---|---|---|---|---|")
loaded=0
for step in $steps; do
  target=$((items * step / 100))
  target=$((target - target % per_key))
  ((target > loaded)) || continue
  echo "loading items $loaded..$target" >&2
  out="$(BENCH_FROM="$loaded" BENCH_COUNT=$((target - loaded)) BENCH_KEYS=$((items / per_key)) BENCH_BATCH=25 \
    BENCH_CONCURRENCY="$load_connections" BENCH_PAYLOAD=random node "$here/load.mjs" "$endpoint")"
  rate="$(sed -E 's/.*\(([0-9]+) items\/s\).*/\1/' <<<"$out")"
  loaded="$target"
  keys=$((loaded / per_key))
  settled="$(settle)"
  reads_settled=$(($(warm get "$keys" "$first_warmup") + $(warm query "$keys" "$warmup")))
  get="$(run_wrk get "$keys")"
  query="$(run_wrk query "$keys")"
  first_warmup="$warmup"
  row="| $loaded | $rate items/s | after ${settled} s + ${reads_settled} s of reads | $get | $query | $(heap_after_gc) | $(disk) |"
  echo "$row" >&2
  results+=("$row")
done

results+=("" "| restart | until a GetItem succeeds | server's own \"ready\" | events replayed |" "|---|---|---|---|")

restart() { # label [plain]: stops the server with SIGTERM, starts it again and times it
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  local started took ready
  started="$(now_ms)"
  start_server "${2:-}"
  took="$(until_get_succeeds "$started")"
  run_wrk get "$keys" >/dev/null # every partition recovers
  ready="$(grep -o 'ready [0-9]* ms' "$log" | tail -1)"
  row="| $1 | $took ms | ${ready:-?} | $(metric eddy_partition_replayed_events_total) |"
  echo "$row" >&2
  results+=("$row")
}

# Clean shutdown (SIGTERM: coordinated shutdown, stores closed), then restart: without the
# class-data-sharing archive, then with it.
restart "after SIGTERM, plain java -jar" plain
restart "after SIGTERM, bin/eddy (CDS archive)"

# kill -9 while writes are in flight, then restart.
BENCH_KEYS="$keys" wrk -t"$threads" -c64 -d10s -s "$here/put.lua" "$endpoint/" >/dev/null 2>&1 &
writer=$!
sleep 5
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
wait "$writer" 2>/dev/null || true
started="$(now_ms)"
start_server
crashed="$(until_get_succeeds "$started")"
run_wrk get "$keys" >/dev/null
ready="$(grep -o 'ready [0-9]* ms' "$log" | tail -1)"
row="| after kill -9 under write load | $crashed ms | ${ready:-?} | $(metric eddy_partition_replayed_events_total) |"
echo "$row" >&2
results+=("$row")

kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
pid=""
echo
echo "Eddy, $items items of ~1 KB, -Xmx$heap, $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%s\n' "${results[@]}"
