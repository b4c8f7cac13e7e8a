# shellcheck shell=bash
# bench/lib/common.sh: logging, processes, ports, timing, integrity checks and the results file.
# Sourced by bench/run; every function works on the globals that bench/run sets (WORK, REPO, ...).

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

die() {
  printf '\nbench: FAILED: %s\n' "$*" >&2
  exit 1
}

# ---------------------------------------------------------------------------------------------
# Processes: everything started in the background is recorded by PID and stopped by PID.

declare -a BENCH_PIDS=()
SPAWNED=""

# spawn LOG CMD...: starts CMD in the background, output to LOG; its PID in SPAWNED.
# Commands that exec (the fileshare launcher execs java) keep this PID.
spawn() {
  local out=$1
  shift
  "$@" >>"$out" 2>&1 &
  SPAWNED=$!
  BENCH_PIDS+=("$SPAWNED")
}

# stop_pid PID: SIGTERM, up to 10 s to exit, then SIGKILL; forgets the PID.
stop_pid() {
  local pid=$1 i
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 200; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null || true
  local -a keep=()
  local p
  for p in "${BENCH_PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
  BENCH_PIDS=("${keep[@]}")
}

stop_all() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do stop_pid "$pid"; done
}

alive() { kill -0 "$1" 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
# Ports: handed out upwards from BENCH_PORT_BASE, skipping any port in use (TCP or UDP).

NEXT_PORT=""

port_in_use() { [ -n "$(ss -Htuan "( sport = :$1 )" 2>/dev/null)" ]; }

# alloc_port VAR: sets VAR to a free port.
alloc_port() {
  [ -n "$NEXT_PORT" ] || NEXT_PORT=$BENCH_PORT_BASE
  while port_in_use "$NEXT_PORT"; do NEXT_PORT=$((NEXT_PORT + 1)); done
  printf -v "$1" '%s' "$NEXT_PORT"
  NEXT_PORT=$((NEXT_PORT + 1))
}

# wait_tcp PORT PID [SECONDS]: until something listens on 127.x PORT; fails if PID dies.
wait_tcp() {
  local port=$1 pid=$2 limit=${3:-30} i
  for ((i = 0; i < limit * 50; i++)); do
    [ -n "$(ss -Htln "( sport = :$port )" 2>/dev/null)" ] && return 0
    alive "$pid" || return 1
    sleep 0.02
  done
  return 1
}

# wait_log FILE TEXT PID [SECONDS]: until FILE contains TEXT; fails if PID dies.
wait_log() {
  local file=$1 text=$2 pid=$3 limit=${4:-60} i
  for ((i = 0; i < limit * 50; i++)); do
    grep -qF -- "$text" "$file" 2>/dev/null && return 0
    alive "$pid" || return 1
    sleep 0.02
  done
  return 1
}

# ---------------------------------------------------------------------------------------------
# Timing: whole-command wall time with the nanosecond clock.

ELAPSED_NS=0

# run_timed LOG CMD...: runs CMD (a command or a shell function) with output to LOG, sets
# ELAPSED_NS, returns CMD's status.
run_timed() {
  local out=$1 t0 t1 rc=0
  shift
  t0=$(date +%s%N)
  "$@" >"$out" 2>&1 || rc=$?
  t1=$(date +%s%N)
  ELAPSED_NS=$((t1 - t0))
  return "$rc"
}

# Arithmetic on the measurements (awk: bash has integers only).
per_second() { awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.3f", n / (ns / 1e9) }'; }
mb_per_second() { awk -v b="$1" -v ns="$2" 'BEGIN { printf "%.3f", b / 1e6 / (ns / 1e9) }'; }
ns_to_ms() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e6 }'; }

# ---------------------------------------------------------------------------------------------
# Integrity: every received set is compared with the source's SHA-256 manifest.

# make_manifest DIR MANIFEST: "HASH  ./NAME" for every regular file under DIR.
make_manifest() {
  (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$2"
}

# verify_set DIR MANIFEST WHAT: every file of the manifest is in DIR with its hash, and nothing
# else is (no leftover temporary files); fails the whole run loudly otherwise.
verify_set() {
  local dir=$1 manifest=$2 what=$3 want got
  [ -d "$dir" ] || die "integrity: $what: $dir was not created"
  want=$(wc -l <"$manifest")
  # warmup-* files are the warm-up set a fileshare upload server received before the timing.
  got=$(find "$dir" -type f ! -name 'warmup-*' | wc -l)
  [ "$want" -eq "$got" ] || die "integrity: $what: $got files in $dir, expected $want"
  if [ "$want" -eq 1 ] && command -v openssl >/dev/null; then
    # One large file: openssl's SHA-256 (SHA extensions) is several times faster than sha256sum.
    local hash name actual
    read -r hash name <"$manifest"
    actual=$(openssl dgst -sha256 -r "$dir/$name") || die "integrity: $what: cannot read $dir/$name"
    [ "${actual%% *}" = "$hash" ] || die "integrity: $what: SHA-256 of $dir/$name differs from the source"
  else
    (cd "$dir" && sha256sum --quiet --strict -c "$manifest" >&2) ||
      die "integrity: $what: files in $dir differ from the source (see above)"
  fi
}

# ---------------------------------------------------------------------------------------------
# Results: one TSV line per measurement (see bench/java/Report.java for the columns).

declare -A W_LABEL=() W_UNIT=() W_BETTER=() W_HEADLINE=()

# workload ID LABEL UNIT higher|lower HEADLINE(0|1)
workload() {
  W_LABEL[$1]=$2
  W_UNIT[$1]=$3
  W_BETTER[$1]=$4
  W_HEADLINE[$1]=$5
}

results_header() {
  printf 'workload\tlabel\ttool\tkind\tround\tvalue\tunit\tbetter\theadline\tnote\n' >"$RESULTS"
}

# record ID TOOL KIND ROUND VALUE [NOTE]: VALUE empty when NOTE says why there is none.
record() {
  local id=$1
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "${W_LABEL[$id]}" "$2" "$3" "$4" "$5" \
    "${W_UNIT[$id]}" "${W_BETTER[$id]}" "${W_HEADLINE[$id]}" "${6:-}" >>"$RESULTS"
  if [ -n "$5" ]; then
    log "  $id r$4 $2: $5 ${W_UNIT[$id]}"
  else
    log "  $id r$4 $2: ${6:-}"
  fi
}

# settle: outside the timing, flush what the previous case left dirty, so that its write-back
# does not land in the next case's time.
settle() { sync -f "$WORK" 2>/dev/null || sync; }
