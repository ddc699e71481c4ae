/**
 * Sysctl names as the kernel's `/proc/sys/net` tree has them, read without a regular expression
 * or a new string per question: a pod's CNI ADD writes a device's `accept_ra` and asks each new
 * device's IPv6 `forwarding` (anycast.ts), thirty times in a node's first read.
 * sysctl-keys.property.test.ts checks each fast answer against the straightforward one.
 */

/** Per-device `conf` and `neigh` values, `net.ipv4.conf.eth0.rp_filter` (the straightforward test). */
export const DEVICE_SYSCTL = /^net\.ipv[46]\.(conf|neigh)\.[^.]+\.[a-z0-9_]+$/;

const PREFIX = 'net.ipv';

/** Whether `name` is a per-device `conf` or `neigh` value: {@link DEVICE_SYSCTL}, read by character code. */
export function isDeviceSysctl(name: string): boolean {
  if (!name.startsWith(PREFIX) || name.length < 13) return false;
  const fam = name.charCodeAt(7);
  if ((fam !== 0x34 && fam !== 0x36) || name.charCodeAt(8) !== DOT) return false;
  // `conf.` or `neigh.`, then the device: one or more characters up to the next dot.
  const dev = name.startsWith('conf.', 9) ? 14 : name.startsWith('neigh.', 9) ? 15 : -1;
  if (dev < 0) return false;
  const dot = name.indexOf('.', dev);
  if (dot <= dev || dot === name.length - 1) return false;
  for (let i = dot + 1; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f)) return false;
  }
  // The device part (everything between) has no dot; a line break ends `$` in no JavaScript regex without `m`.
  return true;
}

const DOT = 0x2e;
const V6_CONF = 'net.ipv6.conf.';
const FORWARDING = '.forwarding';

/**
 * The DEV of a key `net.ipv6.conf.DEV.forwarding` whose DEV is neither `all` nor `default`, else
 * undefined: any DEV at all, so that a record counted as holding none of them holds no key
 * {@link ownV6ForwardingOf} could read.
 */
export function v6ForwardingDev(key: string): string | undefined {
  if (key.length < V6_CONF.length + FORWARDING.length || !key.startsWith(V6_CONF) || !key.endsWith(FORWARDING)) return undefined;
  const dev = key.slice(V6_CONF.length, key.length - FORWARDING.length);
  return dev === 'all' || dev === 'default' ? undefined : dev;
}

/**
 * How many `net.ipv6.conf.DEV.forwarding` keys (DEV neither `all` nor `default`) each sysctl
 * record holds, by record: kept by sysctl.ts, the only writer of `ns.sysctl`
 * (test/architecture/answer-writes.test.ts), and counted from the keys for a record it has not
 * seen (a fresh namespace, a copy).
 */
const ownV6Forwarding = new WeakMap<Record<string, string>, number>();

function countOf(sysctl: Record<string, string>): number {
  let n = ownV6Forwarding.get(sysctl);
  if (n === undefined) {
    n = 0;
    for (const k in sysctl) if (v6ForwardingDev(k) !== undefined) n++;
    ownV6Forwarding.set(sysctl, n);
  }
  return n;
}

/** Notes that `key` is about to be written in `sysctl` (call before the write: whether it is new). */
export function noteSysctlWrite(sysctl: Record<string, string>, key: string): void {
  if (!key.endsWith(FORWARDING)) return;
  const n = ownV6Forwarding.get(sysctl);
  if (n !== undefined && !(key in sysctl) && v6ForwardingDev(key) !== undefined) ownV6Forwarding.set(sysctl, n + 1);
}

/** Notes that `key` is about to be deleted from `sysctl`. */
export function noteSysctlDelete(sysctl: Record<string, string>, key: string): void {
  if (!key.endsWith(FORWARDING)) return;
  const n = ownV6Forwarding.get(sysctl);
  if (n !== undefined && key in sysctl && v6ForwardingDev(key) !== undefined) ownV6Forwarding.set(sysctl, n - 1);
}

/**
 * `sysctl[net.ipv6.conf.DEV.forwarding]`, without making the key when the record has no device's
 * own IPv6 forwarding (the usual case: only `all` is written).
 */
export function ownV6ForwardingOf(sysctl: Record<string, string>, dev: string): string | undefined {
  if (countOf(sysctl) === 0 && dev !== 'all' && dev !== 'default') return undefined;
  return sysctl[`${V6_CONF}${dev}${FORWARDING}`];
}
