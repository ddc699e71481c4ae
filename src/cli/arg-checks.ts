/**
 * Checks of command-line values that yargs' `type` and `choices` cannot express, written as
 * yargs `.check()` functions: each returns true, or a message that the runner prints as a
 * usage error (exit 2). Ranges come from Linux and Kubernetes: ports 1–65535 (port 0 is no
 * port a packet can be sent to), interface names as `dev_valid_name` in net/core/dev.c takes
 * them, port names as IANA_SVC_NAME (`IsValidPortName` in apimachinery's validation).
 */

import { parseIp } from '../addr/ip.js';
import { ruleProblems } from '../scenario/index.js';
import { REPEATABLE_OPTIONS } from './file-option.js';

/** yargs' parsed arguments, as a check sees them. */
export type Argv = Readonly<Record<string, unknown>>;

/** What yargs' `getOptions()` hands a check: which options take several values. */
export interface OptionsView {
  readonly array?: readonly string[];
}

/** The widest value `seededRng` uses (it reduces the seed to 32 bits). */
const MAX_SEED = 2 ** 32 - 1;

/** True for a port number a packet can carry to a service: 1–65535. */
export function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** Why `text` is not a port number or a port name (IANA_SVC_NAME), or undefined when it is one. */
export function portProblem(text: string): string | undefined {
  if (/^\d+$/.test(text)) return isPort(Number(text)) ? undefined : `${text} is not a port: ports are 1–65535`;
  const name = text.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(text) && /[a-z]/.test(text) && !text.includes('--');
  return name ? undefined : `${text} is neither a port number (1–65535) nor a port name (at most 15 lowercase letters, digits and inner hyphens)`;
}

/** IFNAMSIZ - 1: the longest interface name, in bytes (include/uapi/linux/if.h). */
const MAX_IFNAME = 15;

/**
 * Why `name` cannot be a Linux interface name, or undefined: the kernel's dev_valid_name() (not
 * empty, at most 15 bytes, not `.` or `..`, no `/`, `:` or whitespace as the kernel's isspace()
 * reads bytes, so a UTF-8 `à`, whose second byte is 0xA0, is refused). The decision is the
 * scenario rules' `ifName`; the wording names the first reason.
 */
export function ifNameProblem(name: string): string | undefined {
  if (ruleProblems('ifName', name).length === 0) return undefined;
  const quoted = `interface name "${name}"`;
  const bytes = new TextEncoder().encode(name).length;
  if (name === '') return `${quoted} is empty`;
  if (bytes > MAX_IFNAME) return `${quoted} is ${bytes} bytes long; Linux allows at most ${MAX_IFNAME} (IFNAMSIZ 16 with the NUL)`;
  if (name === '.' || name === '..') return `${quoted} is . or .., which Linux refuses`;
  return `${quoted} contains "/", ":" or whitespace, which Linux refuses in a device name`;
}

/** `IP:PORT` or `[IPv6]:PORT` as a trace destination: the port text, when `text` has that form. */
export function addrPortOf(text: string): string | undefined {
  const m = /^\[(.+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  return m?.[1] !== undefined && parseIp(m[1]) !== undefined ? m[2] : undefined;
}

/** `--seed`: a whole number 0–2^32-1 (yargs turns `abc` into NaN without complaint). */
export function checkSeed(argv: Argv): true | string {
  const seed = argv['seed'];
  if (seed === undefined) return true;
  return typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED ? true : `--seed must be a whole number from 0 to ${MAX_SEED}, got ${String(seed)}`;
}

/**
 * `--jobs` (`trace --batch`): a whole number from 1, or `auto` (one per core). yargs reads it as
 * a string, so `auto` and a typo are told apart here, not turned into NaN.
 */
export function checkJobs(argv: Argv): true | string {
  const jobs = argv['jobs'];
  // Given twice: checkSingleValues says so.
  if (jobs === undefined || jobs === 'auto' || Array.isArray(jobs)) return true;
  if (typeof jobs === 'string' && /^[0-9]+$/.test(jobs) && Number(jobs) >= 1 && Number.isSafeInteger(Number(jobs))) return true;
  return `--jobs must be a whole number from 1 (threads to trace on) or auto (one per core), got ${String(jobs)}`;
}

/**
 * An option that takes one value given twice (`-o json -o text`): yargs collects both into an
 * array and the command would silently use one. Options declared as arrays are fine.
 */
export function checkSingleValues(argv: Argv, options: OptionsView): true | string {
  const arrays = new Set(options.array ?? []);
  const kebab = (k: string): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  // Longest names first, so `--output` is named rather than its alias `-o`.
  const entries = Object.entries(argv).sort(([a], [b]) => b.length - a.length);
  for (const [key, value] of entries) {
    if (key === '_' || key === '$0' || REPEATABLE_OPTIONS.has(key) || arrays.has(key) || arrays.has(kebab(key)) || !Array.isArray(value) || value.length < 2) continue;
    const flag = key.length === 1 ? `-${key}` : `--${key}`;
    return `${flag} was given ${value.length} times (${value.map(String).join(', ')}); give it once`;
  }
  return true;
}

/** The help text's width from `COLUMNS`: clamped to 40–100; 100 when it is not a positive whole number. */
export function helpWidth(columns: string | undefined): number {
  const n = Number(columns);
  return Number.isInteger(n) && n > 0 ? Math.min(100, Math.max(40, n)) : 100;
}
