/**
 * Rule text in kube-proxy's own format: arguments joined by single spaces, exactly as its
 * LineBuffer writes them (pkg/proxy/util/linebuffer.go), so that the output matches the
 * upstream expected dumps byte for byte. Rules are built as argument lists (data) and turned
 * into text only here.
 */

/** One argument, or a group of arguments that is spliced in place (an empty group vanishes). */
export type ArgPart = string | readonly string[];

/** Joins arguments into one rule line, flattening groups. */
export function line(...parts: readonly ArgPart[]): string {
  const words: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') words.push(part);
    else words.push(...part);
  }
  return words.join(' ');
}

/**
 * Quotes a comment that contains a space, as kube-proxy writes multi-word comments
 * (`"ns1/svc1:p80 cluster IP"`) and leaves single words bare (`ns1/svc1:p80`).
 */
export function quoteComment(text: string): string {
  return /\s/.test(text) ? `"${text}"` : text;
}

/** `-m comment --comment <text>`. */
export function comment(text: string): readonly string[] {
  return ['-m', 'comment', '--comment', quoteComment(text)];
}

/** `-m <proto> -p <proto>`: kube-proxy always loads the protocol match before `--dport`. */
export function protoMatch(protocol: string): readonly string[] {
  return ['-m', protocol, '-p', protocol];
}

/** The `:CHAIN - [0:0]` line that declares (and flushes) a chain in iptables-restore input. */
export function chainLine(chain: string): string {
  return `:${chain} - [0:0]`;
}

/** The chains declared and the rules written for one table, in emission order. */
export interface TableLines {
  readonly chains: string[];
  readonly rules: string[];
}

/** An empty table section. */
export function emptyTable(): TableLines {
  return { chains: [], rules: [] };
}

/** Both tables of one iptables-restore payload. */
export interface PayloadLines {
  readonly filter: TableLines;
  readonly nat: TableLines;
}
