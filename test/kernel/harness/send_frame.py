#!/usr/bin/env python3
"""Send one crafted IPv4 packet for the netsim kernel differential tests (stdlib only).

--mode frame: a full Ethernet frame written to an AF_PACKET socket on --iface (run it inside the
              sender namespace); the host sees it arrive on its veth peer (PREROUTING).
--mode local: the IP packet written to a raw IP_HDRINCL socket (run it inside the host
              namespace); the kernel treats it as locally generated (OUTPUT, POSTROUTING).

TCP is a SYN unless --tcp-flags says otherwise (letters of FSRPAU), UDP carries 4 bytes, ICMP is an echo request whose id is --sport.
Exit status 0 when the packet was handed to the kernel. A locally generated packet that netfilter
drops or rejects in OUTPUT makes sendto() fail with EPERM; that is an answer, not an error, so it
is reported on stdout ("sendto: EPERM") with status 0.
"""
import argparse
import socket
import struct

PROTO = {"tcp": 6, "udp": 17, "icmp": 1}


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total) & 0xFFFF


TCP_FLAGS = {"F": 0x01, "S": 0x02, "R": 0x04, "P": 0x08, "A": 0x10, "U": 0x20}


def l4(proto: str, src: bytes, dst: bytes, sport: int, dport: int, flags: int = 0x02) -> bytes:
    if proto == "icmp":
        body = struct.pack("!BBHHH", 8, 0, 0, sport & 0xFFFF, 1) + b"netsim"
        return body[:2] + struct.pack("!H", checksum(body)) + body[4:]
    if proto == "tcp":
        ack = 2 if flags & 0x10 else 0  # our SYN has seq 1
        seg = struct.pack("!HHIIBBHHH", sport, dport, 1, ack, 5 << 4, flags, 64240, 0, 0)
        at = 16
    else:
        seg = struct.pack("!HHHH", sport, dport, 12, 0) + b"nsim"
        at = 6
    pseudo = src + dst + struct.pack("!BBH", 0, PROTO[proto], len(seg))
    csum = checksum(pseudo + seg)
    if proto == "udp" and csum == 0:
        csum = 0xFFFF
    return seg[:at] + struct.pack("!H", csum) + seg[at + 2:]


def ipv4(proto: str, src: str, dst: str, sport: int, dport: int, flags: int = 0x02) -> bytes:
    s, d = socket.inet_aton(src), socket.inet_aton(dst)
    payload = l4(proto, s, d, sport, dport, flags)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0x4E53, 0, 64, PROTO[proto], 0, s, d)
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return hdr + payload


def mac(text: str) -> bytes:
    return bytes(int(part, 16) for part in text.split(":"))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["frame", "local"], required=True)
    p.add_argument("--iface")
    p.add_argument("--src-mac")
    p.add_argument("--dst-mac")
    p.add_argument("--src", required=True)
    p.add_argument("--dst", required=True)
    p.add_argument("--proto", choices=sorted(PROTO), default="tcp")
    p.add_argument("--sport", type=int, default=40000)
    p.add_argument("--dport", type=int, default=80)
    p.add_argument("--tcp-flags", default="S")
    a = p.parse_args()
    flags = 0
    for letter in a.tcp_flags.upper():
        flags |= TCP_FLAGS[letter]
    packet = ipv4(a.proto, a.src, a.dst, a.sport, a.dport, flags)
    if a.mode == "frame":
        frame = mac(a.dst_mac) + mac(a.src_mac) + b"\x08\x00" + packet
        with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as sock:
            sock.bind((a.iface, 0))
            sock.send(frame)
    else:
        with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW) as sock:
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
            try:
                sock.sendto(packet, (a.dst, 0))
            except PermissionError:
                print("sendto: EPERM")


if __name__ == "__main__":
    main()
