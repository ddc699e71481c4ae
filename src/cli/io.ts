/**
 * The CLI's window on the world. Commands receive a CliIo instead of touching `process` or
 * `node:fs`, so every command runs in-process in tests with captured streams.
 */
import type { Worker } from 'node:worker_threads';

/** Streams, files and environment a command may use. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Reads a file: its bytes (the CLI decodes them as strict UTF-8), or text already decoded
   * (tests); throws a Node error (ENOENT, EISDIR, …) when it cannot.
   */
  readFile(path: string): string | Uint8Array;
  /**
   * Reads standard input to its end (`-` as a file name: `netsim validate -`): bytes, or text
   * already decoded (tests). Absent where there is no stdin to read.
   */
  readStdin?(): string | Uint8Array;
  /** Lists a directory's entries (for scenario folders). */
  readDir?(path: string): string[];
  /** Writes a file (diagrams, reports) whole or not at all; throws a Node error when it cannot. */
  writeFile?(path: string, data: string | Uint8Array): void;
  /** stdout is a terminal (colours). */
  readonly isTTY: boolean;
  /** stderr is a terminal: long commands show their progress there (absent: no). */
  readonly stderrIsTTY?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Starts a thread running `netsim trace --batch`'s worker (batch-worker.ts) on `workerData`
   * (`new Worker(…, { workerData })`). Absent: `--jobs` traces on this thread.
   */
  startWorker?(workerData: unknown): Worker;
}

/** Exit codes, as named constants (documented in docs/errors.md). */
export const EXIT = {
  /** The command did what was asked (a dropped packet is still a successful trace). */
  OK: 0,
  /** The input (rules file, scenario, packet) has errors. */
  INPUT_ERROR: 1,
  /** The command line is wrong: unknown command, missing or invalid option. */
  USAGE: 2,
  /**
   * `netsim policy matrix`: the datapath and the NetworkPolicy evaluator disagree on some cell
   * (the output was written, with the disagreements): an internal inconsistency to report.
   */
  INCONSISTENT: 3,
  /** A bug in netsim (an internal error); please report it. */
  INTERNAL: 70,
} as const;

/** One of the {@link EXIT} codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
