# shellcheck shell=bash
# bench/lib/workloads.sh: the cases. Each case function takes the round number, prepares outside
# the timing, times one whole command, checks the received data and records the result.
# CASES[workload] lists "tool-function" entries; bench/run runs them in turn, round after round.

declare -A CASES=()

# fs_cmd SUBCOMMAND ARGS...: a fileshare client command through the repository's launcher, with
# FS_CLIENT_FLAGS (`--plain`, except inside with_tls). Not for scan, which has no TCP connection.
fs_cmd() {
  local sub=$1
  shift
  "$REPO/fileshare" "$sub" "${FS_CLIENT_FLAGS[@]}" "$@"
}

# with_tls CMD...: runs CMD with fileshare's defaults (TLS) instead of --plain, for the TLS rows.
with_tls() {
  local -a server=("${FS_SERVER_FLAGS[@]}") client=("${FS_CLIENT_FLAGS[@]}")
  local rc=0
  FS_SERVER_FLAGS=() FS_CLIENT_FLAGS=()
  "$@" || rc=$?
  FS_SERVER_FLAGS=("${server[@]}") FS_CLIENT_FLAGS=("${client[@]}")
  return $rc
}

# A new receiving directory for every run: creating files right after deleting thousands is slow
# on this file system, so nothing is received into a directory that had files before.
newdir() { # newdir PARENT NAME: creates PARENT/NAME (must not exist) and prints it
  local d="$1/$2"
  mkdir -p "$1"
  mkdir "$d" || die "$d already exists"
  echo "$d"
}

safe_name() { local s=${1//[^A-Za-z0-9]/_}; echo "${s,,}"; }

# transfer ID TOOL KIND ROUND DEST MANIFEST AMOUNT CMD...: times CMD; on success checks DEST
# against MANIFEST and records AMOUNT (bytes for MB/s, files for files/s) per second.
# A fileshare failure ends the run; a peer failure leaves a "failed" row and the run goes on.
transfer() {
  local id=$1 tool=$2 kind=$3 round=$4 dest=$5 manifest=$6 amount=$7 rc=0 value
  shift 7
  local out
  out="$LOGS/$id-r$round-$(safe_name "$tool").log"
  run_timed "$out" "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then
    tail -n 15 "$out" >&2 || true
    [ "$kind" = fs ] && die "$tool: $id round $round failed (exit $rc); see $out"
    record "$id" "$tool" "$kind" "$round" "" "failed (exit $rc; see $(basename "$out"))"
    PEER_FAILURES=$((PEER_FAILURES + 1))
    return 0
  fi
  verify_set "$dest" "$manifest" "$tool, $id, round $round"
  if [ "${W_UNIT[$id]}" = MB/s ]; then
    value=$(mb_per_second "$amount" "$ELAPSED_NS")
  else
    value=$(per_second "$amount" "$ELAPSED_NS")
  fi
  record "$id" "$tool" "$kind" "$round" "$value"
}

# skip_unless PEER ID TOOL KIND ROUND: true when PEER can run; else records why not.
skip_unless() {
  peer_ok "$1" && return 0
  record "$2" "$3" "$4" "$5" "" "${PEER_STATE[$1]:-$NOT_INSTALLED}"
  return 1
}

sftp_batch() { # sftp_batch FILE LINE...: an sftp batch file, paths already quoted
  printf '%s\n' "${@:2}" >"$1"
}

run_sftp() { sftp -F "$SSH_CONFIG" -b "$1" bench; }

# ---------------------------------------------------------------------------------------------
# 1. One large file, download (big-get) and upload (big-put), MB/s.

CASES[big-get]="bg_fileshare bg_socat bg_socat_flush bg_nginx bg_ftp bg_rsync bg_sftp"
CASES[big-put]="bp_fileshare bp_socat bp_socat_flush bp_ftp bp_rsync bp_sftp"

# Big files go at once after their check: the disk is not ours alone.
drop() { rm -rf "$1"; }

bg_fileshare() {
  local d
  d=$(newdir "$RECV" "big-get-fileshare-r$1")
  transfer big-get fileshare fs "$1" "$d" "$BIG_MANIFEST" "$BIG_BYTES" \
    fs_cmd get "127.0.0.1:$FS_PORT" big.bin --dir "$d"
  drop "$d"
}

SOCAT_RECEIVER=""

# socat_send SRC PORT DEST FLUSH: the timed part of a raw TCP copy; the receiver already listens.
socat_send() {
  socat -u -b 1048576 "OPEN:$1" "TCP:127.0.0.1:$2" || return
  wait "$SOCAT_RECEIVER" || return
  if [ "$4" = 1 ]; then sync "$3"; fi
}

# socat_case ID TOOL ROUND FLUSH: raw TCP with 1 MiB buffers; "+ flush" also syncs the received
# file inside the timing (the durability fileshare gives: it fsyncs before acknowledging).
socat_case() {
  local id=$1 tool=$2 round=$3 flush=$4 kind=peer d port
  [ "$flush" = 1 ] || kind=ref
  skip_unless socat "$id" "$tool" "$kind" "$round" || return 0
  d=$(newdir "$RECV" "$id-$(safe_name "$tool")-r$round")
  alloc_port port
  spawn "$LOGS/socat-receiver.log" socat -u -b 1048576 \
    "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" "CREATE:$d/big.bin"
  SOCAT_RECEIVER=$SPAWNED
  wait_tcp "$port" "$SOCAT_RECEIVER" 10 || die "socat receiver did not start"
  transfer "$id" "$tool" "$kind" "$round" "$d" "$BIG_MANIFEST" "$BIG_BYTES" \
    socat_send "$SHARE/big.bin" "$port" "$d/big.bin" "$flush"
  stop_pid "$SOCAT_RECEIVER"
  drop "$d"
}

bg_socat() { socat_case big-get socat "$1" 0; }
bg_socat_flush() { socat_case big-get "socat + flush" "$1" 1; }

bg_nginx() {
  skip_unless nginx big-get "nginx + curl" peer "$1" || return 0
  local d
  d=$(newdir "$RECV" "big-get-nginx-r$1")
  transfer big-get "nginx + curl" peer "$1" "$d" "$BIG_MANIFEST" "$BIG_BYTES" \
    curl -sS -f -o "$d/big.bin" "http://127.0.0.1:$NGINX_PORT/big.bin"
  drop "$d"
}

bg_ftp() {
  skip_unless ftp big-get "vsftpd + curl" peer "$1" || return 0
  local d
  d=$(newdir "$RECV" "big-get-ftp-r$1")
  transfer big-get "vsftpd + curl" peer "$1" "$d" "$BIG_MANIFEST" "$BIG_BYTES" \
    curl -sS -f -o "$d/big.bin" "ftp://127.0.0.1:$FTP_PORT/pub/big.bin"
  drop "$d"
}

bg_rsync() {
  skip_unless rsync big-get rsync peer "$1" || return 0
  local d
  d=$(newdir "$RECV" "big-get-rsync-r$1")
  transfer big-get rsync peer "$1" "$d" "$BIG_MANIFEST" "$BIG_BYTES" \
    rsync -a "rsync://127.0.0.1:$RSYNC_PORT/share/big.bin" "$d/"
  drop "$d"
}

# sftp_big_get ID TOOL ROUND / sftp_big_put ID TOOL ROUND: the large file through sftp.
sftp_big_get() {
  skip_unless ssh "$1" "$2" peer "$3" || return 0
  local d batch="$PEERS/ssh/batch"
  d=$(newdir "$RECV" "$1-sftp-r$3")
  sftp_batch "$batch" "get \"$SHARE/big.bin\" \"$d/big.bin\""
  transfer "$1" "$2" peer "$3" "$d" "$BIG_MANIFEST" "$BIG_BYTES" run_sftp "$batch"
  drop "$d"
}

sftp_big_put() {
  skip_unless ssh "$1" "$2" peer "$3" || return 0
  local d batch="$PEERS/ssh/batch"
  d=$(newdir "$UP/sftp" "$1-r$3")
  sftp_batch "$batch" "put \"$SHARE/big.bin\" \"$d/big.bin\""
  transfer "$1" "$2" peer "$3" "$d" "$BIG_MANIFEST" "$BIG_BYTES" run_sftp "$batch"
  drop "$d"
}

bg_sftp() { sftp_big_get big-get sftp "$1"; }

# fs_upload_server ROUND WHAT: a fresh fileshare server receiving into a new directory (started,
# warmed and stopped outside the timing); sets UP_DIR, UP_PORT and UP_PID. A server is a
# long-running process, warm when people use it; the bench needs a new one per upload only
# because a server shares one directory. So before the timed upload it receives the warm-up set
# (200 small files and one of 8 MiB, named warmup-*, which the integrity check leaves aside).
fs_upload_server() {
  local dport
  UP_DIR=$(newdir "$UP" "fileshare-$2-r$1")
  rmdir "$UP_DIR" # the server makes it
  alloc_port UP_PORT
  alloc_port dport
  start_fs_server "$UP_DIR" "$UP_PORT" "$dport" 127.0.0.1 "upload-$2-r$1"
  UP_PID=$SPAWNED
  fs_cmd put "127.0.0.1:$UP_PORT" "$WARM"/* >"$LOGS/warmup-$2-r$1.log" 2>&1 ||
    die "warming the upload server failed; see $LOGS/warmup-$2-r$1.log"
}

bp_fileshare() {
  fs_upload_server "$1" big
  transfer big-put fileshare fs "$1" "$UP_DIR" "$BIG_MANIFEST" "$BIG_BYTES" \
    fs_cmd put "127.0.0.1:$UP_PORT" "$SHARE/big.bin"
  stop_pid "$UP_PID"
  drop "$UP_DIR"
}

bp_socat() { socat_case big-put socat "$1" 0; }
bp_socat_flush() { socat_case big-put "socat + flush" "$1" 1; }

bp_ftp() {
  skip_unless ftp big-put "vsftpd + curl" peer "$1" || return 0
  local d
  d=$(newdir "$FTP_ROOT/up" "r$1")
  chown ftp "$d"
  transfer big-put "vsftpd + curl" peer "$1" "$d" "$BIG_MANIFEST" "$BIG_BYTES" \
    curl -sS -f -T "$SHARE/big.bin" "ftp://127.0.0.1:$FTP_PORT/up/r$1/big.bin"
  drop "$d"
}

bp_rsync() {
  skip_unless rsync big-put rsync peer "$1" || return 0
  local d
  d=$(newdir "$UP/rsync" "big-r$1")
  transfer big-put rsync peer "$1" "$d" "$BIG_MANIFEST" "$BIG_BYTES" \
    rsync -a "$SHARE/big.bin" "rsync://127.0.0.1:$RSYNC_PORT/up/big-r$1/"
  drop "$d"
}

bp_sftp() { sftp_big_put big-put sftp "$1"; }

# ---------------------------------------------------------------------------------------------
# 1b. The same large file, encrypted: fileshare's TLS (its default) against sftp with
# aes128-gcm, the fastest cipher OpenSSH offers here. Same data, same checks.

CASES[tls-get]="tg_fileshare tg_sftp"
CASES[tls-put]="tp_fileshare tp_sftp"

tg_fileshare() {
  local d
  d=$(newdir "$RECV" "tls-get-fileshare-r$1")
  with_tls transfer tls-get "fileshare (TLS)" fs "$1" "$d" "$BIG_MANIFEST" "$BIG_BYTES" \
    fs_cmd get "127.0.0.1:$FS_TLS_PORT" big.bin --dir "$d"
  drop "$d"
}

tp_fileshare() {
  with_tls fs_upload_server "$1" tls
  with_tls transfer tls-put "fileshare (TLS)" fs "$1" "$UP_DIR" "$BIG_MANIFEST" "$BIG_BYTES" \
    fs_cmd put "127.0.0.1:$UP_PORT" "$SHARE/big.bin"
  stop_pid "$UP_PID"
  drop "$UP_DIR"
}

tg_sftp() { sftp_big_get tls-get "sftp (aes128-gcm)" "$1"; }
tp_sftp() { sftp_big_put tls-put "sftp (aes128-gcm)" "$1"; }

# ---------------------------------------------------------------------------------------------
# 2. Many small files, download (small-get) and upload (small-put) of the whole set, files/s.
# Received sets stay until the end of the run (deleting thousands of files is slow here).

CASES[small-get]="sg_fileshare sg_rsync sg_sftp"
CASES[small-put]="sp_fileshare sp_rsync sp_sftp"

# fs_get_small DEST: the whole set by one pattern, as a user would ask for it.
fs_get_small() {
  fs_cmd get "127.0.0.1:$FS_SMALL_PORT" '*' --dir "$1"
}

sg_fileshare() {
  local d
  d=$(newdir "$RECV" "small-get-fileshare-r$1")
  transfer small-get fileshare fs "$1" "$d" "$SMALL_MANIFEST" "$BENCH_FILES" fs_get_small "$d"
}

sg_rsync() {
  skip_unless rsync small-get rsync peer "$1" || return 0
  local d
  d=$(newdir "$RECV" "small-get-rsync-r$1")
  transfer small-get rsync peer "$1" "$d" "$SMALL_MANIFEST" "$BENCH_FILES" \
    rsync -a "rsync://127.0.0.1:$RSYNC_PORT/share/small/" "$d/"
}

sg_sftp() {
  skip_unless ssh small-get sftp peer "$1" || return 0
  local d batch="$PEERS/ssh/batch"
  d=$(newdir "$RECV" "small-get-sftp-r$1")
  sftp_batch "$batch" "get -r \"$SMALL\" \"$d/small\""
  transfer small-get sftp peer "$1" "$d/small" "$SMALL_MANIFEST" "$BENCH_FILES" \
    run_sftp "$batch"
}

sp_fileshare() {
  fs_upload_server "$1" small
  transfer small-put fileshare fs "$1" "$UP_DIR" "$SMALL_MANIFEST" "$BENCH_FILES" \
    fs_cmd put "127.0.0.1:$UP_PORT" "${SMALL_PATHS[@]}"
  stop_pid "$UP_PID"
}

sp_rsync() {
  skip_unless rsync small-put rsync peer "$1" || return 0
  local d
  d=$(newdir "$UP/rsync" "small-r$1")
  transfer small-put rsync peer "$1" "$d" "$SMALL_MANIFEST" "$BENCH_FILES" \
    rsync -a "$SMALL/" "rsync://127.0.0.1:$RSYNC_PORT/up/small-r$1/"
}

sp_sftp() {
  skip_unless ssh small-put sftp peer "$1" || return 0
  local d batch="$PEERS/ssh/batch"
  d=$(newdir "$UP/sftp" "small-r$1")
  sftp_batch "$batch" "put -r \"$SMALL\" \"$d/small\""
  transfer small-put sftp peer "$1" "$d/small" "$SMALL_MANIFEST" "$BENCH_FILES" \
    run_sftp "$batch"
}

# ---------------------------------------------------------------------------------------------
# 3. Many concurrent keep-alive clients fetching a 1 MiB file: req/s, MB/s, server peak RSS.
# Each round starts a fresh server, so that its peak RSS is this load's.

CASES[clients]="cl_fileshare cl_nginx"

# record_load TOOL KIND ROUND REQUESTS SECONDS RSS_KIB
record_load() {
  local rps mbs
  rps=$(awk -v n="$4" -v s="$5" 'BEGIN { printf "%.1f", n / s }')
  mbs=$(awk -v n="$4" -v b="$ONE_MIB_BYTES" -v s="$5" 'BEGIN { printf "%.1f", n * b / 1e6 / s }')
  record clients-rps "$1" "$2" "$3" "$rps"
  record clients-mbs "$1" "$2" "$3" "$mbs"
  record clients-rss "$1" "$2" "$3" "$(awk -v k="$6" 'BEGIN { printf "%.1f", k / 1024 }')"
}

cl_fileshare() {
  local port dport pid out="$LOGS/clients-r$1-fileshare.log" line requests seconds
  alloc_port port
  alloc_port dport
  start_fs_server "$SHARE" "$port" "$dport" 127.0.0.1 "load-r$1"
  pid=$SPAWNED
  # Servers are long-running: the same load warms each one up first, untimed (nginx's too).
  run_tool "$LOGS/clients-r$1-fileshare-warmup.log" LoadGen --port "$port" --name one-mib.bin \
    --file "$SHARE/one-mib.bin" --connections "$BENCH_CLIENTS" --seconds "$BENCH_WARMUP_SECONDS" \
    --threads "$BENCH_LOADGEN_THREADS" ||
    die "fileshare under load: the warm-up failed; see $LOGS/clients-r$1-fileshare-warmup.log"
  run_tool "$out" LoadGen --port "$port" --name one-mib.bin --file "$SHARE/one-mib.bin" \
    --connections "$BENCH_CLIENTS" --seconds "$BENCH_SECONDS" --threads "$BENCH_LOADGEN_THREADS" ||
    die "fileshare under load: the load generator failed; see $out"
  line=$(grep '^RESULT ' "$out") || die "no result from the load generator; see $out"
  requests=$(field requests "$line")
  seconds=$(field seconds "$line")
  record_load fileshare fs "$1" "$requests" "$seconds" "$(rss_tree_kib "$pid")"
  stop_pid "$pid"
}

field() { # field KEY "k=v k=v ...": the value of KEY
  local kv
  for kv in $2; do [ "${kv%%=*}" = "$1" ] && echo "${kv#*=}" && return 0; done
  return 1
}

cl_nginx() {
  local tool="nginx + wrk" port pid d out="$LOGS/clients-r$1-nginx.log" requests seconds
  if ! peer_ok wrk; then
    record clients-rps "$tool" peer "$1" "" "${PEER_STATE[wrk]}"
    return 0
  fi
  skip_unless nginx clients-rps "$tool" peer "$1" || return 0
  alloc_port port
  if ! start_nginx "load-r$1" "$port"; then
    record clients-rps "$tool" peer "$1" "" "failed (nginx did not start)"
    PEER_FAILURES=$((PEER_FAILURES + 1))
    return 0
  fi
  pid=$SPAWNED
  d=$(newdir "$RECV" "clients-nginx-r$1")
  curl -sS -f -o "$d/one-mib.bin" "http://127.0.0.1:$port/one-mib.bin" ||
    die "nginx does not serve one-mib.bin"
  verify_set "$d" "$ONE_MIB_MANIFEST" "nginx, 1 MiB file, round $1"
  wrk -t2 -c "$BENCH_CLIENTS" -d "${BENCH_WARMUP_SECONDS}s" "http://127.0.0.1:$port/one-mib.bin" \
    >"$LOGS/clients-r$1-nginx-warmup.log" 2>&1 || die "wrk failed warming up nginx"
  wrk -t2 -c "$BENCH_CLIENTS" -d "${BENCH_SECONDS}s" "http://127.0.0.1:$port/one-mib.bin" >"$out" 2>&1 ||
    die "wrk failed; see $out"
  if grep -q 'Non-2xx' "$out"; then
    record clients-rps "$tool" peer "$1" "" "failed (HTTP errors; see $(basename "$out"))"
  else
    # "  12345 requests in 10.00s, 12.06GB read"
    requests=$(awk '/ requests in / { print $1 }' "$out")
    seconds=$(awk '/ requests in / { v = $4; sub(/,$/, "", v);
      if (v ~ /ms$/) { sub(/ms$/, "", v); v /= 1000 } else if (v ~ /m$/) { sub(/m$/, "", v); v *= 60 }
      else { sub(/s$/, "", v) } print v }' "$out")
    record_load "$tool" peer "$1" "$requests" "$seconds" "$(rss_tree_kib "$pid")"
  fi
  stop_pid "$pid"
  drop "$d"
}

# ---------------------------------------------------------------------------------------------
# 4. Discovery: scan start to the first and the last reply, with 1 and with N servers.
# N servers listen on 127.0.0.1 ... 127.0.0.N (one address each, same discovery port); the scan
# sends its probes to the loopback broadcast address 127.255.255.255, as a LAN scan would to its
# subnet's, and every server answers from its own address.

CASES[discovery]="ds_one ds_many ds_cmd_one ds_cmd_many"

# ds_timer ROUND PORT EXPECTED TARGET...: the in-process scans (ServiceScanner) of a fresh JVM,
# cold then warm; sets COLD_FIRST COLD_LAST WARM_FIRST WARM_LAST (ms).
ds_timer() {
  local round=$1 port=$2 expected=$3 out tag line found
  shift 3
  out="$LOGS/discovery-r$round-$expected.log"
  run_tool "$out" DiscoveryTimer "$port" "$SCAN_TIMEOUT_MS" "$@" ||
    die "discovery tool failed; see $out"
  for tag in COLD WARM; do
    line=$(grep "^$tag " "$out") || die "no result from the discovery tool; see $out"
    found=$(field found "$line")
    [ "$found" = "$expected" ] ||
      die "discovery: $found of $expected servers answered (round $round, $tag); see $out"
    printf -v "${tag}_FIRST" '%s' "$(field first_ms "$line")"
    printf -v "${tag}_LAST" '%s' "$(field last_ms "$line")"
  done
}

ds_one() {
  ds_timer "$1" "$FS_DPORT" 1 127.0.0.1
  record disc-first "ServiceScanner, 1 server, first scan in a JVM" fs "$1" "$COLD_FIRST"
  record disc-first "ServiceScanner, 1 server, second scan" fs "$1" "$WARM_FIRST"
}

ds_many() {
  local n=$BENCH_DISCOVERY_SERVERS
  ds_timer "$1" "$DISC_DPORT" "$n" 127.255.255.255
  record disc-first "ServiceScanner, $n servers, first scan in a JVM" fs "$1" "$COLD_FIRST"
  record disc-first "ServiceScanner, $n servers, second scan" fs "$1" "$WARM_FIRST"
  record disc-last "ServiceScanner, $n servers, first scan in a JVM" fs "$1" "$COLD_LAST"
  record disc-last "ServiceScanner, $n servers, second scan" fs "$1" "$WARM_LAST"
}

us_now() { local t=$EPOCHREALTIME; echo "${t/./}"; } # microseconds, no fork

# scan_cmd ROUND EXPECTED PORT TARGET...: `fileshare scan` as a user runs it; times from the
# command's start to its first and last output line and to its exit.
scan_cmd() {
  local round=$1 expected=$2 port=$3 t0 t1 first="" last="" line n=0 out args=()
  shift 3
  out="$LOGS/scan-r$round-$expected.log"
  for line in "$@"; do args+=(--target "$line"); done
  : >"$out"
  t0=$(us_now)
  while IFS= read -r line; do
    last=$(us_now)
    [ -n "$first" ] || first=$last
    n=$((n + 1))
    printf '%s\n' "$line" >>"$out"
  done < <("$REPO/fileshare" scan --port "$port" --timeout "$BENCH_SCAN_TIMEOUT" "${args[@]}" 2>>"$out")
  wait $! || die "fileshare scan failed (exit $?); see $out"
  t1=$(us_now)
  [ "$n" -eq "$expected" ] || die "fileshare scan listed $n servers, expected $expected; see $out"
  SCAN_FIRST_MS=$(awk -v a="$t0" -v b="$first" 'BEGIN { printf "%.3f", (b - a) / 1000 }')
  SCAN_LAST_MS=$(awk -v a="$t0" -v b="$last" 'BEGIN { printf "%.3f", (b - a) / 1000 }')
  SCAN_WALL_MS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1000 }')
}

ds_cmd_one() {
  scan_cmd "$1" 1 "$FS_DPORT" 127.0.0.1
  record disc-first "fileshare scan, 1 server" fs "$1" "$SCAN_FIRST_MS"
  record disc-wall "fileshare scan, 1 server" fs "$1" "$SCAN_WALL_MS"
}

ds_cmd_many() {
  local n=$BENCH_DISCOVERY_SERVERS
  scan_cmd "$1" "$n" "$DISC_DPORT" 127.255.255.255
  record disc-first "fileshare scan, $n servers" fs "$1" "$SCAN_FIRST_MS"
  record disc-last "fileshare scan, $n servers" fs "$1" "$SCAN_LAST_MS"
  record disc-wall "fileshare scan, $n servers" fs "$1" "$SCAN_WALL_MS"
}

# start_discovery_servers: N servers on 127.0.0.1..N, distinct TCP ports, one discovery port,
# started together.
start_discovery_servers() {
  local i port
  local -a pids=()
  DISC_ADDRS=()
  alloc_port DISC_DPORT
  for ((i = 1; i <= BENCH_DISCOVERY_SERVERS; i++)); do
    DISC_ADDRS+=("127.0.0.$i")
    alloc_port port
    spawn_fs_server "$WORK/discovery/$i" "$port" "$DISC_DPORT" "127.0.0.$i" "discovery-$i"
    pids+=("$SPAWNED")
  done
  for ((i = 1; i <= BENCH_DISCOVERY_SERVERS; i++)); do
    await_fs_server "discovery-$i" "${pids[$((i - 1))]}"
  done
}

# probe_discovery: outside the measurements, one scan of every discovery server by unicast (a
# server's first answer is slow: its code is cold), then one to the loopback broadcast address
# 127.255.255.255, whose count of answers the report notes.
probe_discovery() {
  local out="$LOGS/discovery-warmup.log" line
  run_tool "$out" DiscoveryTimer "$FS_DPORT" "$SCAN_TIMEOUT_MS" 127.0.0.1 || true
  run_tool "$out" DiscoveryTimer "$DISC_DPORT" "$SCAN_TIMEOUT_MS" "${DISC_ADDRS[@]}" || true
  out="$LOGS/discovery-broadcast.log"
  run_tool "$out" DiscoveryTimer "$DISC_DPORT" "$SCAN_TIMEOUT_MS" 127.255.255.255 || true
  line=$(grep '^COLD ' "$out" || echo "found=?")
  BROADCAST_FOUND=$(field found "$line" || echo "?")
}

# ---------------------------------------------------------------------------------------------
# 5. One-shot command wall time: `fileshare list` (JVM start-up included) against `ssh true`.
# Each round runs BENCH_ONESHOT_RUNS pairs, alternating which goes first.

CASES[oneshot]="os_pairs"

os_list() {
  run_timed "$LOGS/oneshot-list.log" fs_cmd list "127.0.0.1:$FS_PORT" ||
    die "fileshare list failed; see $LOGS/oneshot-list.log"
  record oneshot "fileshare list" fs "$1" "$(ns_to_ms "$ELAPSED_NS")"
}

os_ssh() {
  skip_unless ssh oneshot "ssh true" peer "$1" || return 0
  if run_timed "$LOGS/oneshot-ssh.log" ssh -F "$SSH_CONFIG" bench true; then
    record oneshot "ssh true" peer "$1" "$(ns_to_ms "$ELAPSED_NS")"
  else
    record oneshot "ssh true" peer "$1" "" "failed (see oneshot-ssh.log)"
    PEER_FAILURES=$((PEER_FAILURES + 1))
  fi
}

os_pairs() {
  local i
  for ((i = 1; i <= BENCH_ONESHOT_RUNS; i++)); do
    if (((i + $1) % 2)); then
      os_list "$1"
      os_ssh "$1"
    else
      os_ssh "$1"
      os_list "$1"
    fi
  done
}
