# shellcheck shell=bash
# bench/lib/peers.sh: the fileshare servers and the peer daemons, each started by the bench on
# 127.0.0.1 and a high port, with its configuration and data under $WORK, stopped by PID.

# PEER_STATE[peer]: ok, or why its rows have no numbers.
declare -A PEER_STATE=()

readonly NOT_INSTALLED="skipped (not installed; run bench/setup)"

# The commands each peer needs.
declare -A PEER_NEEDS=(
  [socat]="socat"
  [nginx]="nginx curl"
  [ftp]="vsftpd curl"
  [rsync]="rsync"
  [ssh]="sshd ssh sftp ssh-keygen"
  [wrk]="wrk"
)

has_command() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }

sbin() { if [ -x "/usr/sbin/$1" ]; then echo "/usr/sbin/$1"; else command -v "$1"; fi; }

# peer_wanted NAME: NAME is in BENCH_PEERS (wrk comes with nginx, which it drives).
peer_wanted() {
  local name=$1
  [ "$name" = wrk ] && name=nginx
  [ "$BENCH_PEERS" = all ] || [[ ",$BENCH_PEERS," == *",$name,"* ]]
}

# peer_check NAME: sets PEER_STATE from what is installed and wanted; true when usable.
peer_check() {
  local name=$1 cmd
  if ! peer_wanted "$name"; then
    PEER_STATE[$name]="skipped (not in BENCH_PEERS)"
    return 1
  fi
  for cmd in ${PEER_NEEDS[$name]}; do
    if ! has_command "$cmd"; then
      PEER_STATE[$name]=$NOT_INSTALLED
      return 1
    fi
  done
  PEER_STATE[$name]=ok
}

peer_ok() { [ "${PEER_STATE[$1]:-}" = ok ]; }

peer_failed() { # peer_failed NAME WHY: a peer that is installed but does not work
  PEER_STATE[$1]="failed ($2)"
  log "WARNING: peer $1 failed: $2"
}

# ---------------------------------------------------------------------------------------------
# fileshare

# spawn_fs_server DIR PORT DISCOVERY_PORT BIND NAME: starts a server; SPAWNED is its (java) PID.
spawn_fs_server() {
  local dir=$1 port=$2 dport=$3 bind=$4 name=$5
  mkdir -p "$dir"
  spawn "$LOGS/server-$name.log" env FILESHARE_JAVA_OPTS="$FS_SERVER_OPTS" "$REPO/fileshare" server \
    "${FS_SERVER_FLAGS[@]}" --dir "$dir" --port "$port" --discovery-port "$dport" --bind "$bind" \
    --name "bench $name"
}

# await_fs_server NAME PID: until the server says it is ready. A failure here is a fileshare
# failure: the run stops.
await_fs_server() {
  local out="$LOGS/server-$1.log"
  wait_log "$out" "Press Ctrl-C to stop." "$2" 60 || die "fileshare server $1 did not start (see $out)"
  [ "$(cat "/proc/$2/comm" 2>/dev/null)" = java ] ||
    die "fileshare server $1: PID $2 is not the java process"
}

# start_fs_server DIR PORT DISCOVERY_PORT BIND NAME: starts a server and waits for it.
start_fs_server() {
  spawn_fs_server "$@"
  await_fs_server "$5" "$SPAWNED"
}

# ---------------------------------------------------------------------------------------------
# nginx: static files with sendfile, keep-alive without a request limit.

# start_nginx NAME PORT: sets SPAWNED to the master's PID; false if it does not come up.
start_nginx() {
  local name=$1 port=$2 dir="$PEERS/nginx-$1"
  mkdir -p "$dir/logs"
  cat >"$dir/nginx.conf" <<EOF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  keepalive_timeout 60s;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$port;
    root $SHARE;
  }
}
EOF
  spawn "$LOGS/nginx-$name.log" "$(sbin nginx)" -p "$dir/" -e "$dir/logs/error.log" \
    -c "$dir/nginx.conf" -g 'daemon off;'
  wait_tcp "$port" "$SPAWNED"
}

# rss_tree_kib PID: peak RSS (VmHWM) of PID plus that of its children (nginx's workers), in KiB.
rss_tree_kib() {
  local pid=$1 total=0 p hwm
  for p in "$pid" $(ps -o pid= --ppid "$pid" 2>/dev/null); do
    hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${hwm:-0}))
  done
  echo "$total"
}

# ---------------------------------------------------------------------------------------------
# vsftpd: anonymous FTP with uploads, passive mode, on 127.0.0.1.

start_vsftpd() {
  local port=$1 dir="$PEERS/vsftpd" p lo hi
  mkdir -p "$dir/empty" "$FTP_ROOT/pub" "$FTP_ROOT/up"
  chmod 755 "$dir/empty" "$FTP_ROOT" "$FTP_ROOT/pub"
  chown ftp "$FTP_ROOT/up" 2>/dev/null || { peer_failed ftp "no ftp user"; return 1; }
  ln -f "$SHARE/big.bin" "$FTP_ROOT/pub/big.bin"
  alloc_port lo
  hi=$lo
  for ((p = 0; p < 9; p++)); do alloc_port hi; done
  cat >"$dir/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$port
background=NO
anonymous_enable=YES
no_anon_password=YES
anon_root=$FTP_ROOT
write_enable=YES
anon_upload_enable=YES
anon_mkdir_write_enable=YES
anon_umask=022
local_enable=NO
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=$lo
pasv_max_port=$hi
port_enable=NO
secure_chroot_dir=$dir/empty
xferlog_enable=NO
vsftpd_log_file=$dir/vsftpd.log
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
use_sendfile=YES
EOF
  spawn "$LOGS/vsftpd.log" "$(sbin vsftpd)" "$dir/vsftpd.conf"
  wait_tcp "$port" "$SPAWNED"
}

# ---------------------------------------------------------------------------------------------
# rsync daemon: module "share" (read-only, the source files) and "up" (uploads).

start_rsyncd() {
  local port=$1 dir="$PEERS/rsyncd"
  mkdir -p "$dir" "$UP/rsync"
  cat >"$dir/rsyncd.conf" <<EOF
use chroot = no
uid = root
gid = root
log file = $dir/rsyncd.log
[share]
  path = $SHARE
  read only = yes
[up]
  path = $UP/rsync
  read only = no
EOF
  spawn "$LOGS/rsyncd.log" rsync --daemon --no-detach --address 127.0.0.1 --port "$port" \
    --config "$dir/rsyncd.conf"
  wait_tcp "$port" "$SPAWNED"
}

# ---------------------------------------------------------------------------------------------
# OpenSSH: an own sshd, an own host key, key authentication for root, aes128-gcm.

start_sshd() {
  local port=$1 dir="$PEERS/ssh"
  mkdir -p "$dir" "$UP/sftp"
  ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$dir/host_ed25519" </dev/null
  ssh-keygen -q -t ed25519 -N '' -C bench-client -f "$dir/id_ed25519" </dev/null
  cp "$dir/id_ed25519.pub" "$dir/authorized_keys"
  cat >"$dir/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
X11Forwarding no
Ciphers aes128-gcm@openssh.com
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
  cat >"$SSH_CONFIG" <<EOF
Host bench
  HostName 127.0.0.1
  Port $port
  User root
  IdentityFile $dir/id_ed25519
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile $dir/known_hosts
  Ciphers aes128-gcm@openssh.com
  Compression no
  BatchMode yes
  LogLevel ERROR
EOF
  # sshd insists on its privilege separation directory (normally made by its system service).
  mkdir -p /run/sshd
  spawn "$LOGS/sshd.log" "$(sbin sshd)" -D -e -f "$dir/sshd_config" -h "$dir/host_ed25519"
  wait_tcp "$port" "$SPAWNED" || return 1
  ssh -F "$SSH_CONFIG" bench true >>"$LOGS/sshd.log" 2>&1
}

# ---------------------------------------------------------------------------------------------

# start_peers: the long-running peer daemons the selected workloads need.
start_peers() {
  local big=0 small=0 oneshot=0 tls=0
  if selected big-get || selected big-put; then big=1; fi
  if selected small-get || selected small-put; then small=1; fi
  if selected oneshot; then oneshot=1; fi
  # The TLS rows compare with sftp, so they need the bench's sshd too.
  if selected tls-get || selected tls-put; then tls=1; fi
  peer_check socat || true
  peer_check wrk || true
  if peer_check nginx && [ $big = 1 ]; then
    alloc_port NGINX_PORT
    if ! start_nginx static "$NGINX_PORT"; then
      peer_failed nginx "did not start; see $LOGS/nginx-static.log"
    fi
  fi
  if peer_check ftp && [ $big = 1 ]; then
    alloc_port FTP_PORT
    if ! start_vsftpd "$FTP_PORT" && peer_ok ftp; then
      peer_failed ftp "did not start; see $LOGS/vsftpd.log"
    fi
  fi
  if peer_check rsync && [ $((big + small)) -gt 0 ]; then
    alloc_port RSYNC_PORT
    if ! start_rsyncd "$RSYNC_PORT"; then
      peer_failed rsync "did not start; see $LOGS/rsyncd.log"
    fi
  fi
  if peer_check ssh && [ $((big + small + oneshot + tls)) -gt 0 ]; then
    alloc_port SSH_PORT
    if ! start_sshd "$SSH_PORT"; then
      peer_failed ssh "sshd or key login failed; see $LOGS/sshd.log"
    fi
  fi
}
