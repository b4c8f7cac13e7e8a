#!/usr/bin/env bash
# netlab.sh: a private network of test hosts built from Linux network namespaces, for RealNetworkIT.
# (The project's own copy of the recipe; everything it makes is named after LAB, so concurrent
# labs never collide.)
#
#   netlab.sh check             exit 0 if network namespaces, a bridge and veth pairs can be made
#                               here; otherwise print why and exit 1. FILESHARE_NETLAB_DISABLE=1
#                               makes it fail on purpose (to see the test skip).
#   netlab.sh up LAB N SUBNET   make namespace LAB-br holding bridge br0, and hosts LAB-h1..LAB-hN,
#                               each with lo up and eth0 = SUBNET.i/24 (brd +) plugged into br0, and
#                               a default route on eth0, so 255.255.255.255 and the /24 broadcast
#                               both work. Broadcasts stay on br0: nothing touches the namespace
#                               this script runs in (even the veth pairs are created inside LAB-br).
#   netlab.sh down LAB          stop whatever still runs in LAB-* namespaces, remove them.
#   netlab.sh reap PREFIX       remove labs named PREFIX<pid>-* whose <pid> no longer runs
#                               (left by a test JVM that was killed before it could clean up).
#
# Needs root and iproute2.
set -euo pipefail

usage() { sed -n '2,18p' "$0" >&2; exit 2; }

valid_name() { [[ "$1" =~ ^[A-Za-z0-9_.]+(-[A-Za-z0-9_.]+)*$ ]] || { echo "netlab: bad name: $1" >&2; exit 2; }; }

namespaces() { ip netns list 2>/dev/null | awk '{print $1}'; }

# Namespaces of lab $1: $1-br and $1-h<digits>.
lab_namespaces() { namespaces | grep -E "^$(printf '%s' "$1" | sed 's/[.]/\\./g')-(br|h[0-9]+)\$" || true; }

kill_in() { # end every process still running inside namespace $1, by pid
  local ns=$1 pids attempt
  for attempt in TERM TERM TERM KILL; do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -z "$pids" ] && return 0
    # shellcheck disable=SC2086
    kill -"$attempt" $pids 2>/dev/null || true
    sleep 0.5
  done
}

down() {
  local lab=$1 ns
  for ns in $(lab_namespaces "$lab"); do
    kill_in "$ns"
    ip netns del "$ns" 2>/dev/null || true
  done
}

cmd=${1:-}; shift || true
case "$cmd" in
  check)
    if [ "${FILESHARE_NETLAB_DISABLE:-}" = 1 ]; then
      echo "disabled by FILESHARE_NETLAB_DISABLE=1"; exit 1
    fi
    command -v ip >/dev/null 2>&1 || { echo "'ip' (iproute2) is not installed"; exit 1; }
    if [ "$(id -u)" != 0 ]; then echo "not root (uid $(id -u))"; exit 1; fi
    probe="fstcheck$$"
    trap 'ip netns del "$probe" >/dev/null 2>&1 || true' EXIT
    if ! out=$(ip netns add "$probe" 2>&1); then echo "ip netns add failed: $out"; exit 1; fi
    if ! out=$(ip -n "$probe" link add br0 type bridge 2>&1); then echo "cannot make a bridge: $out"; exit 1; fi
    if ! out=$(ip -n "$probe" link add v0 type veth peer name v1 2>&1); then echo "cannot make a veth pair: $out"; exit 1; fi
    echo "netlab: network namespaces work here" ;;
  up)
    lab=${1:?usage: netlab.sh up LAB N SUBNET}; n=${2:?usage: netlab.sh up LAB N SUBNET}
    subnet=${3:?usage: netlab.sh up LAB N SUBNET}
    valid_name "$lab"
    [[ "$n" =~ ^[1-9][0-9]?$ ]] || { echo "netlab: N must be 1..99" >&2; exit 2; }
    [[ "$subnet" =~ ^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || { echo "netlab: SUBNET is like 10.203.7" >&2; exit 2; }
    down "$lab"
    trap 'echo "netlab: up failed, removing $lab" >&2; down "$lab"' ERR
    br="$lab-br"
    ip netns add "$br"
    ip -n "$br" link set lo up
    ip -n "$br" link add br0 type bridge stp_state 0 forward_delay 0
    ip -n "$br" link set br0 up
    for i in $(seq 1 "$n"); do
      h="$lab-h$i"
      ip netns add "$h"
      # Made inside the bridge's namespace, its peer moved straight into the host's: no interface
      # of the lab ever appears in the namespace this script runs in.
      ip -n "$br" link add "v$i" type veth peer name eth0 netns "$h"
      ip -n "$br" link set "v$i" master br0
      ip -n "$br" link set "v$i" up
      ip -n "$h" link set lo up
      ip -n "$h" addr add "$subnet.$i/24" brd + dev eth0
      ip -n "$h" link set eth0 up
      ip -n "$h" route add default dev eth0
    done
    trap - ERR
    echo "netlab: $lab: hosts $lab-h1..$lab-h$n at $subnet.1..$subnet.$n, bridge in $br" ;;
  down)
    lab=${1:?usage: netlab.sh down LAB}
    valid_name "$lab"
    down "$lab"
    left=$(lab_namespaces "$lab")
    if [ -n "$left" ]; then echo "netlab: could not remove: $left" >&2; exit 1; fi
    echo "netlab: $lab: down" ;;
  reap)
    prefix=${1:?usage: netlab.sh reap PREFIX}
    valid_name "$prefix"
    for lab in $(namespaces | sed -nE "s/^(${prefix}[0-9]+)-(br|h[0-9]+)\$/\\1/p" | sort -u); do
      pid=${lab#"$prefix"}
      if [ ! -d "/proc/$pid" ]; then
        echo "netlab: removing stale lab $lab (its owner $pid is gone)"
        down "$lab"
      fi
    done ;;
  *) usage ;;
esac
