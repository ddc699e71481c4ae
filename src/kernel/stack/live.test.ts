/**
 * Differential test of packet fates against the running kernel: the routed lab a — r — b is
 * built in fresh namespaces (unique prefix, always deleted); a sends tagged UDP datagrams
 * through r under different configurations, b records which arrived and with which TTL, and
 * netsim must agree case by case. Skipped, with the reason, where it cannot run (not root, no
 * iproute2 or python3, or NETSIM_LIVE=0).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cidr } from '../../addr/cidr.js';
import { ping, routedWorld, walk } from '../../../test/helpers/kernel.js';
import { addRoute } from '../route/table.js';
import { setSysctl } from '../sysctl.js';
import { type World, getNetns } from '../world.js';
import { python3 } from '../../../test/kernel/harness/python.js';

function whyNot(): string | undefined {
  if (process.env['NETSIM_LIVE'] === '0') return 'NETSIM_LIVE=0';
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root';
  for (const tool of [['ip', '-V'], ['python3', '-V']] as const) {
    try {
      execFileSync(tool[0], [tool[1]], { stdio: 'ignore' });
    } catch {
      return `${tool[0]} missing`;
    }
  }
  return undefined;
}

/** One configuration of r (and the packet a sends), applied to both the kernel and the model. */
interface Case {
  readonly tag: string;
  readonly src: string;
  readonly ttl: number;
  readonly setup: readonly (readonly string[])[]; // `ip -n r …` / sysctl commands, run in r
  readonly model: (r: ReturnType<typeof getNetns>) => void;
}

const CASES: readonly Case[] = [
  { tag: 'forward', src: '10.0.0.1', ttl: 64, setup: [], model: () => undefined },
  { tag: 'ttl1', src: '10.0.0.1', ttl: 1, setup: [], model: () => undefined },
  { tag: 'ttl2', src: '10.0.0.1', ttl: 2, setup: [], model: () => undefined },
  { tag: 'spoofed-rp0', src: '192.0.2.7', ttl: 64, setup: [], model: () => undefined },
  {
    tag: 'spoofed-rp1',
    src: '192.0.2.7',
    ttl: 64,
    setup: [['sysctl', '-qw', 'net.ipv4.conf.all.rp_filter=1']],
    model: (r) => setSysctl(r, 'net.ipv4.conf.all.rp_filter', '1'),
  },
  {
    tag: 'blackhole',
    src: '10.0.0.1',
    ttl: 64,
    setup: [['ip', 'route', 'add', 'blackhole', '10.1.0.1/32']],
    model: (r) => addRoute(r, { type: 'blackhole', dst: cidr('10.1.0.1/32') }),
  },
  {
    tag: 'no-forwarding',
    src: '10.0.0.1',
    ttl: 64,
    setup: [['sysctl', '-qw', 'net.ipv4.ip_forward=0']],
    model: (r) => setSysctl(r, 'net.ipv4.ip_forward', '0'),
  },
];

/** The model's fate for a case: `ttl N` when b receives it, else the drop reason. */
function modelFate(c: Case): string {
  const w: World = routedWorld();
  c.model(getNetns(w, 'r'));
  const t = walk(w, { at: 'local-out', ns: 'a', packet: ping(c.src, '10.1.0.1', c.ttl) });
  return t.end.kind === 'delivered' ? `ttl ${t.end.packet.ip.ttl}` : t.end.kind === 'dropped' ? t.end.reason : t.end.kind;
}

const SEND = `
import socket, struct, sys
src, dst, ttl, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].encode()
udp = struct.pack('!HHHH', 40000, 9999, 8 + len(tag), 0) + tag
hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 1, 0x4000, ttl, 17, 0, socket.inet_aton(src), socket.inet_aton(dst))
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.sendto(hdr + udp, (dst, 0))
`;
/** Prints each datagram's payload and TTL; stops at the `end` sentinel or after the timeout. */
const LISTEN = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('0.0.0.0', 9999)); s.settimeout(float(sys.argv[1]))
s.setsockopt(socket.IPPROTO_IP, 12, 1)  # IP_RECVTTL
print('ready', flush=True)
while True:
    try:
        d, anc, _f, _a = s.recvmsg(100, 64)
    except socket.timeout:
        break
    ttl = [int.from_bytes(x[2][:4], sys.byteorder) for x in anc if x[1] == 2]
    print(d.decode(), ttl[0] if ttl else -1, flush=True)
    if d == b'end':
        break
`;
/** The sentinel: r itself sends \`end\` to b's second address, a path no case interferes with. */
const SENTINEL = "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'end', ('10.1.0.2', 9999))";

const reason = whyNot();
const prefix = `nsS${process.pid % 100000}-`;
const ns = (n: string) => `${prefix}${n}`;
const sh = (...args: string[]) => execFileSync(args[0] ?? 'true', args.slice(1), { stdio: 'ignore' });

function cleanup(): void {
  for (const n of ['a', 'r', 'b']) {
    try {
      sh('ip', 'netns', 'del', ns(n));
    } catch {
      /* not there */
    }
  }
}

function buildLab(): void {
  cleanup();
  for (const n of ['a', 'r', 'b']) {
    sh('ip', 'netns', 'add', ns(n));
    sh('ip', '-n', ns(n), 'link', 'set', 'lo', 'up');
  }
  sh('ip', '-n', ns('a'), 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'ra', 'netns', ns('r'));
  sh('ip', '-n', ns('b'), 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'rb', 'netns', ns('r'));
  const addrs = [['a', 'eth0', '10.0.0.1/24'], ['r', 'ra', '10.0.0.254/24'], ['r', 'rb', '10.1.0.254/24'], ['b', 'eth0', '10.1.0.1/24'], ['b', 'eth0', '10.1.0.2/24']] as const;
  for (const [n, d, a] of addrs) {
    sh('ip', '-n', ns(n), 'addr', 'add', a, 'dev', d);
    sh('ip', '-n', ns(n), 'link', 'set', d, 'up');
  }
  sh('ip', '-n', ns('a'), 'route', 'add', 'default', 'via', '10.0.0.254', 'dev', 'eth0');
  sh('ip', '-n', ns('b'), 'route', 'add', 'default', 'via', '10.1.0.254', 'dev', 'eth0');
}

/** Listens in b while `send` runs; resolves with the lines b printed. */
async function listenWhile(send: () => void): Promise<string[]> {
  const listener: ChildProcess = spawn('ip', ['netns', 'exec', ns('b'), python3(), '-c', LISTEN, '5.0']);
  const lines: string[] = [];
  const done = new Promise<void>((resolve) => listener.on('close', () => resolve()));
  listener.stdout?.on('data', (b: Buffer) => lines.push(...b.toString().split('\n').filter((l) => l !== '')));
  try {
    while (!lines.includes('ready')) await new Promise((r) => setTimeout(r, 20));
    send();
    sh('ip', 'netns', 'exec', ns('r'), python3(), '-c', SENTINEL);
    await done;
  } finally {
    listener.kill();
  }
  return lines;
}

function resetRouter(): void {
  sh('ip', 'netns', 'exec', ns('r'), 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
  sh('ip', 'netns', 'exec', ns('r'), 'sysctl', '-qw', 'net.ipv4.conf.all.rp_filter=0');
  try {
    sh('ip', '-n', ns('r'), 'route', 'del', 'blackhole', '10.1.0.1/32');
  } catch {
    /* absent */
  }
}

/** Runs every case against the kernel: returns tag → `ttl N` or `nothing`. */
async function kernelFates(): Promise<Map<string, string>> {
  buildLab();
  const got = new Map<string, string>();
  const send = (c: { src: string; ttl: number; tag: string }) => () => sh('ip', 'netns', 'exec', ns('a'), python3(), '-c', SEND, c.src, '10.1.0.1', String(c.ttl), c.tag);
  try {
    resetRouter();
    await listenWhile(send({ src: '10.0.0.1', ttl: 64, tag: 'warm-up' })); // resolves the neighbours on the way
    for (const c of CASES) {
      resetRouter();
      for (const cmd of c.setup) sh('ip', 'netns', 'exec', ns('r'), ...cmd);
      const lines = await listenWhile(send(c));
      const hit = lines.find((l) => l.startsWith(`${c.tag} `));
      got.set(c.tag, hit === undefined ? 'nothing' : `ttl ${hit.split(' ')[1] ?? '?'}`);
    }
  } finally {
    cleanup();
  }
  return got;
}

describe.skipIf(reason !== undefined)(`packet fates against the live kernel${reason ? ` (skipped: ${reason})` : ''}`, () => {
  afterAll(cleanup);
  it('a — r — b: forwarding, TTL, rp_filter, blackhole, ip_forward', async () => {
    const kernel = await kernelFates();
    const rows = CASES.map((c) => {
      const model = modelFate(c);
      return { tag: c.tag, kernel: kernel.get(c.tag), model: model.startsWith('ttl') ? model : 'nothing', reason: model };
    });
    console.info(rows.map((r) => `${r.tag}: kernel ${r.kernel}, netsim ${r.reason}`).join("\n"));
    for (const r of rows) expect({ tag: r.tag, fate: r.model }, `netsim said ${r.reason}`).toEqual({ tag: r.tag, fate: r.kernel });
  }, 120_000); // about 12 s on a quiet machine; a minute on one loaded by other suites
});
