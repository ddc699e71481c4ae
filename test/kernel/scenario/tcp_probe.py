#!/usr/bin/env python3
"""Real TCP endpoints for the scenario differential test (stdlib only).

serve   --ports 8080,80 [--udp-ports 5353]
        Listens on 0.0.0.0 and on :: (IPV6_V6ONLY, so IPv4 peers keep their own addresses) on
        every TCP port (and binds every UDP port in both families), prints "ready" once all are
        bound, then prints one JSON line per accepted connection or received datagram with what
        the server sees, until it is terminated (a datagram is echoed back):
        {"accepted": true, "local": ["10.244.0.3", 8080], "peer": ["10.244.0.2", 40000]}
        A namespace without IPv6 (no ::1 on lo yet) listens on IPv4 only.
connect --dst IP --dport N [--sport 40000] [--timeout S] [--udp]
        Connects from the given source port, in the family of IP (UDP: sends a datagram and
        waits for the echo), and prints what the client sees as JSON:
        {"ok": true, "local": [...], "peer": [...], "retrans": 0} or
        {"ok": false, "error": "ECONNREFUSED", "retrans": 0}. "retrans" (TCP only) is the
        socket's tcpi_total_retrans: a SYN sent again because the machine was too slow to give
        up before the kernel's 1 s retransmission, when conntrack may choose a backend anew.
        Closes with a reset (SO_LINGER 0), so the port is free again at once (no TIME_WAIT).
"""
import argparse
import errno
import json
import select
import socket
import struct
import sys

IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)  # include/uapi/linux/in.h; Python may not export it
IPV6_RECVPKTINFO = getattr(socket, "IPV6_RECVPKTINFO", 49)  # include/uapi/linux/in6.h
IPV6_PKTINFO = getattr(socket, "IPV6_PKTINFO", 50)


def bound(family, kind, port):
    s = socket.socket(family, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        if kind == socket.SOCK_DGRAM:
            s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
    elif kind == socket.SOCK_DGRAM:
        s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    s.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", port))
    return s


def families():
    try:
        bound(socket.AF_INET6, socket.SOCK_DGRAM, 0).close()
        return [socket.AF_INET, socket.AF_INET6]
    except OSError:
        return [socket.AF_INET]


def local_address(anc):
    for level, kind, value in anc:
        if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
            return socket.inet_ntop(socket.AF_INET, value[8:12])
        if level == socket.IPPROTO_IPV6 and kind == IPV6_PKTINFO:
            return socket.inet_ntop(socket.AF_INET6, value[0:16])
    return "?"


def serve(ports, udp_ports):
    fams = families()
    socks = []
    for port in ports:
        for fam in fams:
            s = bound(fam, socket.SOCK_STREAM, port)
            s.listen(8)
            socks.append(s)
    udp = [bound(fam, socket.SOCK_DGRAM, port) for port in udp_ports for fam in fams]
    print("ready", flush=True)
    while True:
        readable, _, _ = select.select(socks + udp, [], [])
        for s in readable:
            if s in udp:
                data, anc, _flags, peer = s.recvmsg(2048, socket.CMSG_SPACE(20))
                print(json.dumps({"accepted": True, "local": [local_address(anc), s.getsockname()[1]], "peer": [peer[0], peer[1]]}), flush=True)
                s.sendto(data, peer)
                continue
            conn, peer = s.accept()
            local = conn.getsockname()
            print(json.dumps({"accepted": True, "local": [local[0], local[1]], "peer": [peer[0], peer[1]]}), flush=True)
            conn.close()


TCP_INFO_TOTAL_RETRANS = 100  # offset of tcpi_total_retrans in struct tcp_info (include/uapi/linux/tcp.h)


def retransmissions(s):
    """How many segments (here: SYNs) the socket sent again, from TCP_INFO."""
    try:
        info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
        return struct.unpack_from("I", info, TCP_INFO_TOTAL_RETRANS)[0] if len(info) >= 104 else None
    except OSError:
        return None


def connect(dst, dport, sport, timeout, udp):
    family = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM if udp else socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if not udp:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", sport))
    s.settimeout(timeout)
    try:
        s.connect((dst, dport))
        if udp:
            s.send(b"netsim")
            s.recv(2048)
    except socket.timeout:
        print(json.dumps({"ok": False, "error": "timeout", **retrans(s, udp)}), flush=True)
        return
    except OSError as e:
        name = errno.errorcode.get(e.errno, str(e.errno)) if e.errno is not None else str(e)
        print(json.dumps({"ok": False, "error": name, **retrans(s, udp)}), flush=True)
        return
    local, peer = s.getsockname(), s.getpeername()
    print(json.dumps({"ok": True, "local": [local[0], local[1]], "peer": [peer[0], peer[1]], **retrans(s, udp)}), flush=True)
    s.close()


def retrans(s, udp):
    n = None if udp else retransmissions(s)
    return {} if n is None else {"retrans": n}


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    sv = sub.add_parser("serve")
    sv.add_argument("--ports", default="")
    sv.add_argument("--udp-ports", default="")
    cl = sub.add_parser("connect")
    cl.add_argument("--dst", required=True)
    cl.add_argument("--dport", type=int, required=True)
    cl.add_argument("--sport", type=int, default=40000)
    cl.add_argument("--timeout", type=float, default=2.5)
    cl.add_argument("--udp", action="store_true")
    a = p.parse_args()
    if a.cmd == "serve":
        serve([int(x) for x in a.ports.split(",") if x], [int(x) for x in a.udp_ports.split(",") if x])
    else:
        connect(a.dst, a.dport, a.sport, a.timeout, a.udp)


if __name__ == "__main__":
    sys.exit(main())
