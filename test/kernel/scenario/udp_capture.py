#!/usr/bin/env python3
"""Prints the first IPv4 UDP frame to --port seen on any interface of this namespace, decoded
down to a VXLAN header and the inner Ethernet, IPv4 and TCP/UDP headers, as one JSON line.
Prints `ready` once the raw socket is bound; exits 2 on timeout. Used by vxlan.diff.test.ts."""
import argparse, json, socket, struct, sys, time

def mac(b):
    return ':'.join('%02x' % x for x in b)

def ipv4(b, at):
    ihl = (b[at] & 0x0f) * 4
    flags = struct.unpack('!H', b[at + 6:at + 8])[0]
    return {'src': socket.inet_ntoa(b[at + 12:at + 16]), 'dst': socket.inet_ntoa(b[at + 16:at + 20]), 'ttl': b[at + 8], 'proto': b[at + 9], 'df': bool(flags & 0x4000), 'length': struct.unpack('!H', b[at + 2:at + 4])[0]}, at + ihl

def decode(frame, port):
    if len(frame) < 14 or struct.unpack('!H', frame[12:14])[0] != 0x0800:
        return None
    ip, l4 = ipv4(frame, 14)
    if ip['proto'] != 17:
        return None
    sport, dport = struct.unpack('!HH', frame[l4:l4 + 4])
    if dport != port:
        return None
    vx = l4 + 8
    vni = int.from_bytes(frame[vx + 4:vx + 7], 'big')
    inner = vx + 8
    iip, il4 = ipv4(frame, inner + 14)
    ports = struct.unpack('!HH', frame[il4:il4 + 4]) if iip['proto'] in (6, 17) else (None, None)
    return {'eth': {'src': mac(frame[6:12]), 'dst': mac(frame[0:6])}, 'ip': ip, 'udp': {'sport': sport, 'dport': dport}, 'vxlanFlags': frame[vx], 'vni': vni,
            'innerEth': {'src': mac(frame[inner + 6:inner + 12]), 'dst': mac(frame[inner:inner + 6])}, 'inner': dict(iip, sport=ports[0], dport=ports[1])}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, default=8472)
    ap.add_argument('--timeout', type=float, default=5.0)
    a = ap.parse_args()
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0003))
    s.settimeout(0.2)
    print('ready', flush=True)
    deadline = time.time() + a.timeout
    while time.time() < deadline:
        try:
            frame = s.recv(65535)
        except socket.timeout:
            continue
        d = decode(frame, a.port)
        if d is not None:
            print(json.dumps(d), flush=True)
            return 0
    return 2

sys.exit(main())
