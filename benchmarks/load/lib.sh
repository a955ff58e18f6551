# Shared by run-ingest.sh and run-query.sh: free ports, server start/stop, cleanup.
# Sourced, not executed. Everything listens on 127.0.0.1 only.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TARGET="$HERE/target"
LOAD_JAR="$TARGET/spanwise-load-benchmarks.jar"
SPANWISE_JAR_GIVEN="${SPANWISE_JAR:+1}" # a jar named by the caller is used as it is
SPANWISE_JAR="${SPANWISE_JAR:-$ROOT/spanwise-server/target/spanwise.jar}"
ZIPKIN_VERSION="${ZIPKIN_VERSION:-3.6.1}"
ZIPKIN_JAR="$TARGET/zipkin/zipkin-server-$ZIPKIN_VERSION-exec.jar"
SERVER_HEAP="${SERVER_HEAP:-4g}"
CLIENT_HEAP="${CLIENT_HEAP:-2g}"

CHILD_PIDS=()
TEMP_DIRS=()

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
die() { log "error: $*"; exit 1; }

cleanup() {
  local pid
  for pid in "${CHILD_PIDS[@]:-}"; do
    [[ -n "$pid" ]] || continue
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  local d
  for d in "${TEMP_DIRS[@]:-}"; do
    if [[ -n "$d" && -d "$d" ]]; then rm -rf "$d"; fi
  done
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# to_seconds 30s|2m|500ms|45 -> whole seconds (rounded up).
to_seconds() {
  local v=$1
  case "$v" in
    *ms) echo $(( (${v%ms} + 999) / 1000 )) ;;
    *s) echo "${v%s}" ;;
    *m) echo $(( ${v%m} * 60 )) ;;
    *h) echo $(( ${v%h} * 3600 )) ;;
    *[!0-9]*|'') die "not a duration: $v" ;;
    *) echo "$v" ;;
  esac
}

# A TCP port in no socket state, below the kernel's ephemeral range (so the load generator's
# own outgoing connections cannot take it), and not handed out before in this run.
USED_PORTS=" "
# pick_port VAR: sets VAR (no subshell, so USED_PORTS remembers it).
pick_port() {
  local low p
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  ((low > 12000)) || low=32768
  for _ in $(seq 1 500); do
    p=$((10000 + RANDOM % (low - 10000)))
    [[ "$USED_PORTS" == *" $p "* ]] && continue
    if [[ -z "$(ss -Htan "( sport = :$p or dport = :$p )" 2>/dev/null)" ]]; then
      USED_PORTS+="$p "
      printf -v "$1" '%s' "$p"
      return 0
    fi
  done
  die "no free port found"
}

# wait_http URL SECONDS PID: until URL answers 2xx, the process dies, or time runs out.
wait_http() {
  local url=$1 seconds=$2 pid=$3
  local deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || return 1
    if curl -fs -o /dev/null --max-time 2 "$url"; then return 0; fi
    sleep 0.5
  done
  return 1
}

# Fails if the process listens anywhere but loopback.
check_loopback_only() {
  local pid=$1 name=$2
  local listening
  listening=$(ss -Hltnp 2>/dev/null | grep "pid=$pid," | awk '{print $4}' || true)
  [[ -n "$listening" ]] || die "$name (pid $pid) listens on no TCP port"
  if grep -v -E '^(127\.0\.0\.1|\[::1\]|\[::ffff:127\.0\.0\.1\]):' <<<"$listening" | grep -q .; then
    die "$name listens beyond loopback: $(tr '\n' ' ' <<<"$listening")"
  fi
  log "$name listens on $(tr '\n' ' ' <<<"$listening")"
}

stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}

build_load_jar() {
  if [[ "${NO_BUILD:-0}" == 1 && -f "$LOAD_JAR" ]]; then return 0; fi
  log "building $LOAD_JAR"
  (cd "$ROOT" && mvn -B -q -f benchmarks/load/pom.xml package -DskipTests) >&2
  [[ -f "$LOAD_JAR" ]] || die "build did not produce $LOAD_JAR"
}

# Builds the server jar from the working tree unless SPANWISE_JAR names one, or NO_BUILD=1 and
# one is there: a jar left from an earlier build would measure old code.
ensure_spanwise_jar() {
  if [[ -n "$SPANWISE_JAR_GIVEN" ]]; then
    [[ -f "$SPANWISE_JAR" ]] || die "SPANWISE_JAR: no such file $SPANWISE_JAR"
    return 0
  fi
  if [[ "${NO_BUILD:-0}" == 1 && -f "$SPANWISE_JAR" ]]; then return 0; fi
  log "building $SPANWISE_JAR"
  (cd "$ROOT" && mvn -B -q -DskipTests -pl spanwise-server -am package) >&2
  [[ -f "$SPANWISE_JAR" ]] || die "build did not produce $SPANWISE_JAR"
}

ensure_zipkin_jar() {
  if [[ -f "$ZIPKIN_JAR" ]]; then return 0; fi
  log "fetching zipkin-server $ZIPKIN_VERSION from Maven Central"
  (cd "$ROOT" && mvn -B -q dependency:copy \
    "-Dartifact=io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" \
    "-DoutputDirectory=$TARGET/zipkin") >&2
  [[ -f "$ZIPKIN_JAR" ]] || die "could not fetch $ZIPKIN_JAR"
}

# start_spanwise LOGFILE: sets SERVER_PID, DATA_DIR and the *_PORT variables. A port taken
# between choosing and binding gets new ports and another try.
start_spanwise() {
  local logfile=$1 attempt
  for attempt in 1 2 3; do
    DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/spanwise-bench-XXXXXX")
    TEMP_DIRS+=("$DATA_DIR")
    pick_port OTLP_GRPC_PORT; pick_port OTLP_HTTP_PORT
    pick_port ZIPKIN_PORT; pick_port QUERY_PORT
    pick_port JAEGER_HTTP_PORT; pick_port JAEGER_GRPC_PORT
    pick_port JAEGER_COMPACT_PORT; pick_port JAEGER_BINARY_PORT # UDP; a free TCP number will do
    pick_port SAMPLING_HTTP_PORT; pick_port SAMPLING_GRPC_PORT
    # SERVER_JAVA_OPTS: extra JVM flags for the server only (a profiler, GC logging)
    java "-Xmx$SERVER_HEAP" ${SERVER_JAVA_OPTS:-} -jar "$SPANWISE_JAR" \
      --bind-address 127.0.0.1 --data-dir "$DATA_DIR" \
      --otlp-grpc-port "$OTLP_GRPC_PORT" --otlp-http-port "$OTLP_HTTP_PORT" \
      --zipkin-port "$ZIPKIN_PORT" --query-port "$QUERY_PORT" \
      --jaeger-thrift-http-port "$JAEGER_HTTP_PORT" --jaeger-grpc-port "$JAEGER_GRPC_PORT" \
      --jaeger-compact-port "$JAEGER_COMPACT_PORT" --jaeger-binary-port "$JAEGER_BINARY_PORT" \
      --sampling-http-port "$SAMPLING_HTTP_PORT" --sampling-grpc-port "$SAMPLING_GRPC_PORT" \
      ${SPANWISE_FLAGS:-} >"$logfile" 2>&1 &
    SERVER_PID=$!
    CHILD_PIDS+=("$SERVER_PID")
    # /ready answers once the query port is up; the receivers bind next, so look again after.
    if wait_http "http://127.0.0.1:$QUERY_PORT/ready" 120 "$SERVER_PID" && sleep 2 \
        && kill -0 "$SERVER_PID" 2>/dev/null; then
      check_loopback_only "$SERVER_PID" spanwise
      return 0
    fi
    stop_pid "$SERVER_PID"
    grep -q "Address already in use" "$logfile" || break
    log "spanwise: a port was taken meanwhile (attempt $attempt), retrying on new ports"
  done
  tail -20 "$logfile" >&2 || true
  die "Spanwise did not become ready (log: $logfile)"
}

# start_zipkin LOGFILE: in-memory storage, one port on 127.0.0.1; sets SERVER_PID, ZIPKIN_PORT.
start_zipkin() {
  local logfile=$1 attempt
  for attempt in 1 2 3; do
    pick_port ZIPKIN_PORT
    # Setting armeria.ports[0] replaces Zipkin's default port list, so port, ip and protocols go
    # together (ip alone would leave the port random).
    STORAGE_TYPE=mem QUERY_PORT="$ZIPKIN_PORT" MEM_MAX_SPANS="${MEM_MAX_SPANS:-500000}" \
      java "-Xmx$SERVER_HEAP" -jar "$ZIPKIN_JAR" \
      "--armeria.ports[0].port=$ZIPKIN_PORT" "--armeria.ports[0].ip=127.0.0.1" \
      "--armeria.ports[0].protocols=http" >"$logfile" 2>&1 &
    SERVER_PID=$!
    CHILD_PIDS+=("$SERVER_PID")
    if wait_http "http://127.0.0.1:$ZIPKIN_PORT/health" 120 "$SERVER_PID"; then
      check_loopback_only "$SERVER_PID" zipkin
      return 0
    fi
    stop_pid "$SERVER_PID"
    grep -q "Address already in use" "$logfile" || break
    log "zipkin: port taken meanwhile (attempt $attempt), retrying on a new port"
  done
  tail -20 "$logfile" >&2 || true
  die "Zipkin did not become healthy (log: $logfile)"
}
