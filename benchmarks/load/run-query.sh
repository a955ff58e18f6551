#!/usr/bin/env bash
# Query load: loads generated traces into a fresh Spanwise (OTLP/HTTP, Jaeger API on the query
# port) and a fresh Zipkin server (Zipkin JSON, in-memory storage, Zipkin v2 API), waits until
# they are searchable, and prints p50/p99 of trace by id, search, services, operations and
# dependencies, plus disk bytes per span for Spanwise. Everything runs on 127.0.0.1.
#
#   benchmarks/load/run-query.sh [--only spanwise|zipkin] [--load-spans 1000000]
#       [--iterations 1000] [--concurrency 4] [--batch-spans 1000] [--settle]
#       [--warmup-time 60s]
#
# --settle: measure Spanwise's queries only once its data directory stops changing (the merges
# that follow the bulk load are done; at most 2 minutes).
# --warmup-time: unmeasured calls of each query kind before its measured ones (QueryLoad's flag).
#
# Environment: SERVER_HEAP (4g here, both servers; Zipkin keeps every span on its heap),
# CLIENT_HEAP, CLIENT_JAVA_OPTS (extra JVM flags for the measuring client), SPANWISE_JAR,
# ZIPKIN_VERSION, SPANWISE_FLAGS, NO_BUILD=1, QUERY_LIMIT (seconds a
# side may take, default 3600).
set -euo pipefail
SERVER_HEAP="${SERVER_HEAP:-4g}"
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

ONLY=both
LOAD_SPANS=1000000
ITERATIONS=1000
CONCURRENCY=4
BATCH_SPANS=1000
SETTLE=()
WARMUP_TIME=60s
while (($#)); do
  case "$1" in
    --only) ONLY=$2; shift 2 ;;
    --load-spans) LOAD_SPANS=$2; shift 2 ;;
    --iterations) ITERATIONS=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --batch-spans) BATCH_SPANS=$2; shift 2 ;;
    --settle) SETTLE=(--settle); shift ;;
    --warmup-time) WARMUP_TIME=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown flag $1 (see --help)" ;;
  esac
done
[[ "$ONLY" =~ ^(both|spanwise|zipkin)$ ]] || die "--only: expected spanwise or zipkin, got $ONLY"
QUERY_LIMIT="${QUERY_LIMIT:-3600}"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN_DIR="$TARGET/results/query-$STAMP"
mkdir -p "$RUN_DIR"
RESULTS="$RUN_DIR/results.jsonl"

build_load_jar
[[ "$ONLY" == zipkin ]] || ensure_spanwise_jar
[[ "$ONLY" == spanwise ]] || ensure_zipkin_jar

query_load() { # label, then QueryLoad flags
  local label=$1; shift
  log "$label: loading $LOAD_SPANS spans, then $ITERATIONS calls per query"
  timeout "$QUERY_LIMIT" java "-Xmx$CLIENT_HEAP" ${CLIENT_JAVA_OPTS:-} -cp "$LOAD_JAR" dev.spanwise.benchmarks.load.QueryLoad \
    --load-spans "$LOAD_SPANS" --iterations "$ITERATIONS" --concurrency "$CONCURRENCY" \
    --batch-spans "$BATCH_SPANS" --warmup-time "$WARMUP_TIME" --server-pid "$SERVER_PID" --label "$label" \
    --results "$RESULTS" --calls-out "$RUN_DIR/calls-$label" "$@" | tee -a "$RUN_DIR/query.md" || log "$label: query benchmark failed"
}

if [[ "$ONLY" != zipkin ]]; then
  start_spanwise "$RUN_DIR/spanwise.log"
  query_load spanwise --ingest "127.0.0.1:$OTLP_HTTP_PORT" --ingest-protocol otlp-http \
    --query "127.0.0.1:$QUERY_PORT" --api jaeger --data-dir "$DATA_DIR" "${SETTLE[@]}"
  log "spanwise data dir, allocated: $(du -sh "$DATA_DIR" | cut -f1)"
  stop_pid "$SERVER_PID"
fi
if [[ "$ONLY" != spanwise ]]; then
  MEM_MAX_SPANS=$((LOAD_SPANS + 1000)) start_zipkin "$RUN_DIR/zipkin.log"
  query_load zipkin --ingest "127.0.0.1:$ZIPKIN_PORT" --ingest-protocol zipkin-json \
    --query "127.0.0.1:$ZIPKIN_PORT" --api zipkin
  stop_pid "$SERVER_PID"
fi
log "results: $RUN_DIR"
