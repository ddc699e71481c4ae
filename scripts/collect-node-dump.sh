#!/bin/sh
# collect-node-dump.sh: save a Linux node's network state, as the real tools print it, into a
# folder (one file per command) to read offline with netsim.
#
#   sudo sh collect-node-dump.sh [DIR]          # default DIR: ./node-dump-$(hostname)
#   sudo ip netns exec NS sh collect-node-dump.sh DIR   # a network namespace instead of the host
#
# The files and the commands that write them (a tool that is missing, or that fails, leaves
# its file out and says so in MISSING):
#   addr.json        ip -j addr                    addr6.json       ip -j -6 addr
#   route.json       ip -j route show table all    route6.json      ip -j -6 route show table all
#   rule.json        ip -j rule                    rule6.json       ip -j -6 rule
#   neigh.json       ip -j neigh                   link.json        ip -j -d link
#   fdb.json         bridge -j fdb
#   ipset-save.txt   ipset save
#   iptables-save.txt   iptables-save             ip6tables-save.txt   ip6tables-save
#   nft-ruleset.txt  nft list ruleset
#   sysctl.txt       sysctl net.ipv4.ip_forward net.ipv6.conf.all.forwarding net.ipv4.conf.all.rp_filter …
#   sysctl-conf.txt  sysctl -a -r 'net.ipv[46].conf.*.(rp_filter|forwarding|proxy_arp|route_localnet|accept_local)'
#   HOSTNAME, MISSING
#
# What netsim reads from such a folder (docs/node-dump.md):
#   netsim import DIR                                  # what netsim made of the dump, and warnings
#   netsim show NAME route --node-dump DIR             # the node's state as ip/bridge/iptables-save print it
#   netsim trace SRC DST [--in DEV] --node-dump DIR    # a packet through the node
#   netsim iptables trace --rules DIR/iptables-save.txt --ipsets DIR/ipset-save.txt --src … --dst …
#   netsim nft trace --rules DIR/nft-ruleset.txt --src … --dst …
# The script only reads state: it changes nothing on the node, and sends nothing anywhere.
set -u

dir=${1:-./node-dump-$(hostname 2>/dev/null || echo node)}
mkdir -p "$dir" || exit 1
: > "$dir/MISSING"
hostname > "$dir/HOSTNAME" 2>/dev/null || true

# save FILE COMMAND...: COMMAND's stdout into DIR/FILE, or a line in MISSING when it cannot run.
save() {
  file=$1
  shift
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "$file: $1 is not installed" >> "$dir/MISSING"
    return
  fi
  if ! "$@" > "$dir/$file.tmp" 2> "$dir/$file.err"; then
    echo "$file: '$*' failed: $(head -n 1 "$dir/$file.err")" >> "$dir/MISSING"
    rm -f "$dir/$file.tmp" "$dir/$file.err"
    return
  fi
  mv "$dir/$file.tmp" "$dir/$file"
  rm -f "$dir/$file.err"
}

save addr.json ip -j addr
save addr6.json ip -j -6 addr
save link.json ip -j -d link
save route.json ip -j route show table all
save route6.json ip -j -6 route show table all
save rule.json ip -j rule
save rule6.json ip -j -6 rule
save neigh.json ip -j neigh
save fdb.json bridge -j fdb
save ipset-save.txt ipset save
save iptables-save.txt iptables-save
save ip6tables-save.txt ip6tables-save
save nft-ruleset.txt nft list ruleset
save sysctl-conf.txt sysctl -a -r '^net\.ipv[46]\.conf\.[^.]+\.(rp_filter|forwarding|proxy_arp|route_localnet|accept_local)$'
save sysctl.txt sysctl net.ipv4.ip_forward net.ipv6.conf.all.forwarding net.ipv4.conf.all.rp_filter net.ipv4.conf.default.rp_filter net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables

echo "netsim: node dump written to $dir" >&2
if [ -s "$dir/MISSING" ]; then
  echo "netsim: not collected (see $dir/MISSING):" >&2
  sed 's/^/  /' "$dir/MISSING" >&2
fi
