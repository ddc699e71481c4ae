#!/usr/bin/env bash
# Runs the real bridge + host-local CNI plugins (Debian's containernetworking-plugins,
# /usr/lib/cni) in throw-away namespaces and writes what they did into this folder.
# Needs root. Nothing runs in the root namespace: the plugins are executed inside nsF-host
# (the "node"), the pods are nsF-pod1..3, and every nsF-* namespace is deleted at the end.
# No traffic is sent anywhere.
#
#   sudo bash test/golden/cni/capture.sh
#
# Scenario (src/cni/golden.test.ts rebuilds it in netsim with the same IDs and config):
#   ADD pod1, ADD pod2, CHECK pod2, DEL pod1, ADD pod3.
# Files: <step>-<ns>-<what>.txt, results as JSON, the host-local store as a listing.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CNI_BIN=${CNI_BIN:-/usr/lib/cni}
[ "$(id -u)" = 0 ] || { echo "capture.sh: needs root (it creates network namespaces)" >&2; exit 1; }
[ -x "$CNI_BIN/bridge" ] || { echo "capture.sh: no $CNI_BIN/bridge (apt-get install containernetworking-plugins)" >&2; exit 1; }

DATA=$(mktemp -d /tmp/nsF-cni.XXXXXX)
cleanup() {
  for n in nsF-host nsF-pod1 nsF-pod2 nsF-pod3 nsF-dual; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$DATA"
}
trap cleanup EXIT
cleanup_start() { for n in nsF-host nsF-pod1 nsF-pod2 nsF-pod3 nsF-dual; do ip netns del "$n" 2>/dev/null || true; done; }
cleanup_start

# The network configuration; @DATADIR@ is the host-local data directory.
CONF_TEMPLATE=$(cat "$HERE/netconf.json")
CONF=${CONF_TEMPLATE//@DATADIR@/$DATA}

for n in nsF-host nsF-pod1 nsF-pod2 nsF-pod3; do ip netns add "$n"; ip -n "$n" link set lo up; done

# cni <COMMAND> <container id> <pod ns> [prevResult json]
cni() {
  local conf=$CONF
  if [ $# -ge 4 ]; then conf=$(jq -c --argjson p "$4" '. + {prevResult: $p}' <<<"$CONF"); fi
  ip netns exec nsF-host env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_PATH="$CNI_BIN" CNI_COMMAND="$1" \
    CNI_CONTAINERID="$2" CNI_NETNS="/var/run/netns/$3" CNI_IFNAME=eth0 "$CNI_BIN/bridge" <<<"$conf"
}

store() {
  # One line per file of the host-local directory: name, then the content with \r and \n visible.
  ( cd "$DATA/mynet" && for f in $(ls | sort); do printf '%s\t%s\n' "$f" "$(sed -z 's/\r/\\r/g; s/\n/\\n/g' "$f")"; done )
}

snap() {
  local step=$1; shift
  sleep 2 # let IPv6 DAD on the host ends finish, so no address is still "tentative"
  ip -n nsF-host addr > "$HERE/$step-host-addr.txt"
  ip -n nsF-host route > "$HERE/$step-host-route.txt"
  ip -n nsF-host -6 route > "$HERE/$step-host-route6.txt"
  ip -n nsF-host -d link > "$HERE/$step-host-link.txt"
  ip netns exec nsF-host iptables-save -t nat | grep -v '^#' > "$HERE/$step-host-iptables.txt"
  ip netns exec nsF-host sysctl -n net.ipv4.ip_forward > "$HERE/$step-host-ip_forward.txt"
  store > "$HERE/$step-store.txt"
  for p in "$@"; do
    ip -n "$p" addr > "$HERE/$step-${p#nsF-}-addr.txt"
    ip -n "$p" route > "$HERE/$step-${p#nsF-}-route.txt"
    ip -n "$p" -d link > "$HERE/$step-${p#nsF-}-link.txt"
  done
}

CID1=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd01
CID2=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd02
CID3=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd03

cni ADD "$CID1" nsF-pod1 | jq . > "$HERE/1-add-pod1.json"
R2=$(cni ADD "$CID2" nsF-pod2)
jq . <<<"$R2" > "$HERE/2-add-pod2.json"
snap 2 nsF-pod1 nsF-pod2
cni CHECK "$CID2" nsF-pod2 "$R2" > "$HERE/2-check-pod2.out" 2>&1 && echo "exit 0" >> "$HERE/2-check-pod2.out"
R1=$(jq -c . "$HERE/1-add-pod1.json")
cni DEL "$CID1" nsF-pod1 "$R1"
snap 3 nsF-pod1
cni ADD "$CID3" nsF-pod3 | jq . > "$HERE/4-add-pod3.json"
snap 4 nsF-pod3
# host-local alone, asked twice for the same container: it refuses a duplicate allocation.
(ip netns exec nsF-host env -i CNI_PATH="$CNI_BIN" CNI_COMMAND=ADD CNI_CONTAINERID="$CID3" CNI_NETNS=/var/run/netns/nsF-pod3 \
  CNI_IFNAME=eth0 "$CNI_BIN/host-local" <<<"$CONF" || true) | jq . > "$HERE/5-host-local-again.json"

# host-local alone (it touches no network state): a 3-address IPv4 range plus an IPv6 range,
# for exhaustion, wrap-around, IPv6 defaults and a config error. One JSON line per call.
hl() { # hl <COMMAND> <container id> <config json>
  local out
  out=$(ip netns exec nsF-host env -i CNI_PATH="$CNI_BIN" CNI_COMMAND="$1" CNI_CONTAINERID="$2" CNI_NETNS=/var/run/netns/nsF-pod3 \
    CNI_IFNAME=eth0 "$CNI_BIN/host-local" <<<"$3" || true)
  jq -c --arg cmd "$1" --arg id "$2" '{cmd: $cmd, id: $id, out: .}' <<<"${out:-null}"
}
HL=$(jq -c --arg d "$DATA" '.ipam.dataDir = $d' "$HERE/host-local.json")
HLBAD=$(jq -c '.ipam.ranges = [[{subnet: "10.9.0.0/31"}]]' <<<"$HL")
{
  for id in a b c d; do hl ADD "$id" "$HL"; done
  hl DEL b "$HL"
  hl ADD d "$HL"
  hl ADD e "$HL"
  hl CHECK d "$HL"
  hl CHECK zz "$HL"
  hl ADD bad "$HLBAD"
} > "$HERE/6-host-local.jsonl"
( cd "$DATA/hl" && for f in $(ls | sort); do printf '%s\t%s\n' "$f" "$(sed -z 's/\r/\\r/g; s/\n/\\n/g' "$f")"; done ) > "$HERE/6-store.txt"

# Dual stack, isGateway without isDefaultGateway, a bridge name of its own, in pod nsF-dual.
DUAL=$(jq -c --arg d "$DATA" '.ipam.dataDir = $d' "$HERE/netconf-dual.json")
ip netns add nsF-dual; ip -n nsF-dual link set lo up
ip netns exec nsF-host env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_PATH="$CNI_BIN" CNI_COMMAND=ADD \
  CNI_CONTAINERID="$CID1" CNI_NETNS=/var/run/netns/nsF-dual CNI_IFNAME=net1 "$CNI_BIN/bridge" <<<"$DUAL" | jq . > "$HERE/7-add-dual.json"
sleep 2
ip -n nsF-host addr show br-dual > "$HERE/7-host-addr.txt"
ip -n nsF-host -6 route > "$HERE/7-host-route6.txt"
ip netns exec nsF-host ip6tables-save -t nat | grep -v '^#' > "$HERE/7-host-ip6tables.txt"
ip netns exec nsF-host sysctl -n net.ipv6.conf.all.forwarding > "$HERE/7-host-ipv6_forwarding.txt"
ip -n nsF-dual addr > "$HERE/7-dual-addr.txt"
ip -n nsF-dual route > "$HERE/7-dual-route.txt"
ip -n nsF-dual -6 route > "$HERE/7-dual-route6.txt"
# CHECK passes when every route carries its gateway; after the pod's IPv4 address is removed it fails.
RD=$(jq -c . "$HERE/7-add-dual.json")
checkdual() {
  ip netns exec nsF-host env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_PATH="$CNI_BIN" CNI_COMMAND=CHECK CNI_CONTAINERID="$CID1" \
    CNI_NETNS=/var/run/netns/nsF-dual CNI_IFNAME=net1 "$CNI_BIN/bridge" <<<"$(jq -c --argjson p "$RD" '. + {prevResult: $p}' <<<"$DUAL")" && echo "exit 0"
}
checkdual > "$HERE/7-check-dual.out" 2>&1 || true
ip -n nsF-dual addr del 10.10.0.2/24 dev net1
checkdual > "$HERE/7-check-dual-noaddr.out" 2>&1 || true

echo "captured with: $($CNI_BIN/bridge </dev/null 2>&1 | head -1 || true); $(uname -r); $(ip -V)" > "$HERE/VERSION.txt"
