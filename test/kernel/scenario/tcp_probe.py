#!/usr/bin/env python3
"""Real TCP endpoints for the scenario differential test (stdlib only).

serve   --ports 8080,80
        Listens on 0.0.0.0 on every port, prints "ready" once all are bound, then prints one JSON
        line per accepted connection with what the server sees, until it is terminated:
        {"accepted": true, "local": ["10.244.0.3", 8080], "peer": ["10.244.0.2", 40000]}
connect --dst IP --dport N [--sport 40000] [--timeout S]
        Connects from the given source port and prints what the client sees as JSON:
        {"ok": true, "local": [...], "peer": [...]} or {"ok": false, "error": "ECONNREFUSED"}.
        Closes with a reset (SO_LINGER 0), so the port is free again at once (no TIME_WAIT).
"""
import argparse
import errno
import json
import select
import socket
import struct
import sys


def serve(ports):
    socks = []
    for port in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
        s.listen(8)
        socks.append(s)
    print("ready", flush=True)
    while True:
        readable, _, _ = select.select(socks, [], [])
        for s in readable:
            conn, peer = s.accept()
            local = conn.getsockname()
            print(json.dumps({"accepted": True, "local": [local[0], local[1]], "peer": [peer[0], peer[1]]}), flush=True)
            conn.close()


def connect(dst, dport, sport, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.bind(("0.0.0.0", sport))
    s.settimeout(timeout)
    try:
        s.connect((dst, dport))
    except socket.timeout:
        print(json.dumps({"ok": False, "error": "timeout"}), flush=True)
        return
    except OSError as e:
        name = errno.errorcode.get(e.errno, str(e.errno)) if e.errno is not None else str(e)
        print(json.dumps({"ok": False, "error": name}), flush=True)
        return
    local, peer = s.getsockname(), s.getpeername()
    print(json.dumps({"ok": True, "local": [local[0], local[1]], "peer": [peer[0], peer[1]]}), flush=True)
    s.close()


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    sv = sub.add_parser("serve")
    sv.add_argument("--ports", required=True)
    cl = sub.add_parser("connect")
    cl.add_argument("--dst", required=True)
    cl.add_argument("--dport", type=int, required=True)
    cl.add_argument("--sport", type=int, default=40000)
    cl.add_argument("--timeout", type=float, default=2.5)
    a = p.parse_args()
    if a.cmd == "serve":
        serve([int(x) for x in a.ports.split(",") if x])
    else:
        connect(a.dst, a.dport, a.sport, a.timeout)


if __name__ == "__main__":
    sys.exit(main())
