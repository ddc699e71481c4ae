#!/usr/bin/env python3
"""Send --count copies of one IPv4 first packet, source ports --sport, --sport+1, … (stdlib only).

With --serve, read one JSON object a line on stdin (the same fields: mode, iface, src_mac, dst_mac,
src, dst, proto, sport, dport, count) and answer each with one line, "eperm N", so one process
sends many rows' packets (starting Python takes a large part of a second).

Packet bytes come from test/kernel/harness/send_frame.py. --mode frame writes Ethernet frames
to --iface (run inside the sender namespace); --mode local writes to a raw IP_HDRINCL socket
(run inside the host namespace: locally generated, OUTPUT then POSTROUTING). A locally generated
packet that netfilter rejects makes sendto() fail with EPERM; that is counted, not an error.
"""
import argparse
import json
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "kernel", "harness"))
import send_frame  # noqa: E402


def send(a: argparse.Namespace) -> int:
    eperm = 0
    if a.mode == "frame":
        with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as sock:
            sock.bind((a.iface, 0))
            for i in range(a.count):
                pkt = send_frame.ipv4(a.proto, a.src, a.dst, a.sport + i, a.dport)
                sock.send(send_frame.mac(a.dst_mac) + send_frame.mac(a.src_mac) + b"\x08\x00" + pkt)
    else:
        with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW) as sock:
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
            for i in range(a.count):
                try:
                    sock.sendto(send_frame.ipv4(a.proto, a.src, a.dst, a.sport + i, a.dport), (a.dst, 0))
                except PermissionError:
                    eperm += 1
    return eperm


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--serve", action="store_true")
    p.add_argument("--mode", choices=["frame", "local"])
    p.add_argument("--iface")
    p.add_argument("--src-mac")
    p.add_argument("--dst-mac")
    p.add_argument("--src")
    p.add_argument("--dst")
    p.add_argument("--proto", choices=["tcp", "udp"], default="tcp")
    p.add_argument("--sport", type=int, default=40000)
    p.add_argument("--dport", type=int)
    p.add_argument("--count", type=int, default=1)
    a = p.parse_args()
    if not a.serve:
        print(f"eperm {send(a)}")
        return
    for line in sys.stdin:
        if line.strip() == "":
            continue
        req = argparse.Namespace(**{"iface": None, "src_mac": None, "dst_mac": None, "proto": "tcp", "sport": 40000, "count": 1, **json.loads(line)})
        print(f"eperm {send(req)}", flush=True)


if __name__ == "__main__":
    main()
