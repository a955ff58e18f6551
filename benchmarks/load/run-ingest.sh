#!/usr/bin/env bash
# Ingest load: Spanwise (OTLP/HTTP protobuf, OTLP/gRPC, Zipkin JSON, Jaeger Thrift HTTP) and the Zipkin server
# (Zipkin JSON, in-memory storage) at two batch sizes, a fresh server per case, then a markdown
# table. Defaults take about 13 minutes. Everything runs on 127.0.0.1; children die with the script.
#
#   benchmarks/load/run-ingest.sh [--only spanwise|zipkin] [--duration 30s] [--warmup 5s]
#       [--zipkin-warmup 5s] [--concurrency 32] [--batches "100 1000"] [--batching traces|instances]
#       [--protocols "otlp-http otlp-grpc zipkin-json jaeger-thrift-http"]
#
# --warmup is Spanwise's; the Zipkin server gets --zipkin-warmup (default 5s), since its
# in-memory store fills within a minute at these rates and it then spends both cores in GC
# (8,493 spans/s after 60 s against 50,047 after 5 s at batch 100, 2026-12-08): the ratio is
# taken against Zipkin at its best, before that.
#
# Environment: SERVER_HEAP (4g, both servers: at 1g the Zipkin server thrashes in GC), CLIENT_HEAP (2g), SPANWISE_JAR, ZIPKIN_VERSION
# (3.6.1), SPANWISE_FLAGS (extra server flags), NO_BUILD=1 (reuse the built load and server jars).
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

ONLY=both
DURATION=30s
WARMUP=5s
ZIPKIN_WARMUP=5s
CONCURRENCY=32
BATCHES="100 1000"
BATCHING=traces
PROTOCOLS="otlp-http otlp-grpc zipkin-json jaeger-thrift-http"
while (($#)); do
  case "$1" in
    --only) ONLY=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --zipkin-warmup) ZIPKIN_WARMUP=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --batches) BATCHES=$2; shift 2 ;;
    --batching) BATCHING=$2; shift 2 ;;
    --protocols) PROTOCOLS=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) die "unknown flag $1 (see --help)" ;;
  esac
done
[[ "$ONLY" =~ ^(both|spanwise|zipkin)$ ]] || die "--only: expected spanwise or zipkin, got $ONLY"
[[ "$BATCHING" =~ ^(traces|instances)$ ]] || die "--batching: expected traces or instances, got $BATCHING"
check_duration() { [[ "$2" =~ ^[0-9]+(ms|s|m|h)?$ ]] || die "$1: not a duration: $2"; }
check_duration --warmup "$WARMUP"
check_duration --zipkin-warmup "$ZIPKIN_WARMUP"
check_duration --duration "$DURATION"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN_DIR="$TARGET/results/ingest-$STAMP"
mkdir -p "$RUN_DIR"
RESULTS="$RUN_DIR/results.jsonl"

build_load_jar
[[ "$ONLY" == zipkin ]] || ensure_spanwise_jar
[[ "$ONLY" == spanwise ]] || ensure_zipkin_jar

run_case() { # label protocol port batch warmup [extra IngestLoad flags]
  local label=$1 protocol=$2 port=$3 batch=$4 warmup=$5
  shift 5
  # Server start (<=120s) + pool + warm-up + duration + drain; bound the client hard.
  local limit=$(( $(to_seconds "$warmup") + $(to_seconds "$DURATION") + 120 ))
  log "$label $protocol batch=$batch concurrency=$CONCURRENCY warmup=$warmup duration=$DURATION"
  timeout "$limit" java "-Xmx$CLIENT_HEAP" -jar "$LOAD_JAR" \
    --protocol "$protocol" --target "127.0.0.1:$port" --batch-spans "$batch" \
    --concurrency "$CONCURRENCY" --duration "$DURATION" --warmup "$warmup" --batching "$BATCHING" \
    --server-pid "$SERVER_PID" --label "$label" --results "$RESULTS" "$@" \
    | tee -a "$RUN_DIR/ingest.log" || log "$label $protocol batch=$batch: no span acknowledged"
}

for batch in $BATCHES; do
  if [[ "$ONLY" != zipkin ]]; then
    for protocol in $PROTOCOLS; do
      start_spanwise "$RUN_DIR/spanwise-$protocol-$batch.log"
      case "$protocol" in
        otlp-http) port=$OTLP_HTTP_PORT ;;
        otlp-grpc) port=$OTLP_GRPC_PORT ;;
        zipkin-json) port=$ZIPKIN_PORT ;;
        jaeger-thrift-http) port=$JAEGER_HTTP_PORT ;;
        *) die "unknown protocol $protocol" ;;
      esac
      # Spanwise acknowledges after the write-ahead log; its /metrics says how much got indexed.
      run_case spanwise "$protocol" "$port" "$batch" "$WARMUP" \
        --metrics-url "http://127.0.0.1:$QUERY_PORT/metrics"
      log "spanwise data dir: $(du -sh "$DATA_DIR" | cut -f1)"
      stop_pid "$SERVER_PID"
    done
  fi
  if [[ "$ONLY" != spanwise ]]; then
    start_zipkin "$RUN_DIR/zipkin-$batch.log"
    run_case zipkin zipkin-json "$ZIPKIN_PORT" "$batch" "$ZIPKIN_WARMUP"
    stop_pid "$SERVER_PID"
  fi
done

echo
echo "Ingest, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), concurrency $CONCURRENCY," \
  "warm-up $WARMUP (Zipkin $ZIPKIN_WARMUP), measured $DURATION, server heap $SERVER_HEAP:"
echo
java -cp "$LOAD_JAR" dev.spanwise.benchmarks.load.ResultsTable "$RESULTS" zipkin | tee "$RUN_DIR/table.md"
log "results: $RUN_DIR"
