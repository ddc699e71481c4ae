/** Can this machine run the kernel differential tests? Answers with the reason when it cannot. */
import { deleteNamespace, newPrefix } from './namespaces.js';
import { onPath, run } from './sh.js';

const TOOLS = ['ip', 'iptables', 'iptables-restore', 'iptables-save', 'xtables-monitor', 'conntrack', 'python3'] as const;

/** `ok` when we are root on Linux, the tools are present, iptables uses nf_tables and a netns can be made. */
export function kernelAvailable(): { ok: boolean; why: string } {
  if (process.platform !== 'linux') return { ok: false, why: `not Linux (${process.platform})` };
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { ok: false, why: 'not root (run `sudo npm test` or `bash .ci/run` as root)' };
  const missing = TOOLS.filter((t) => !onPath(t));
  if (missing.length > 0) return { ok: false, why: `missing tools: ${missing.join(', ')} (apt-get install iptables iproute2 conntrack python3)` };
  const version = run('iptables', ['--version']).stdout.trim();
  if (!version.includes('nf_tables')) return { ok: false, why: `iptables is not the nf_tables backend (${version}); xtables-monitor --trace needs it` };
  const probe = `${newPrefix()}probe`;
  const made = run('ip', ['netns', 'add', probe]);
  if (made.code !== 0) return { ok: false, why: `cannot create a network namespace: ${made.stderr.trim()}` };
  try {
    const veth = run('ip', ['-n', probe, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1']);
    if (veth.code !== 0) return { ok: false, why: `cannot create a veth pair: ${veth.stderr.trim()}` };
    const ipt = run('ip', ['netns', 'exec', probe, 'iptables', '-t', 'raw', '-A', 'OUTPUT', '-s', '255.255.255.255/32', '-j', 'TRACE']);
    if (ipt.code !== 0) return { ok: false, why: `iptables (TRACE target) does not work in a namespace: ${ipt.stderr.trim()}` };
  } finally {
    deleteNamespace(probe);
  }
  return { ok: true, why: `root, ${version}` };
}
