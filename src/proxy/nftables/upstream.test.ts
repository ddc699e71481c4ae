/**
 * Upstream's TestOverallNFTablesRules (kubernetes/kubernetes pkg/proxy/nftables/proxier_test.go,
 * the version stored in the code index at commit 81810de635aa, the newest one found): the same
 * Services and endpoints give the transaction of test/fixtures/nftables/kube-proxy-overall.nft
 * (upstream's expected text), and the engine lists it as the kernel does
 * (kube-proxy-overall.list, checked with nft 1.0.6).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNft, printNft } from '../../kernel/netfilter/index.js';
import { OVERALL_ENDPOINTS, OVERALL_SERVICES } from '../iptables/__fixtures__/upstream.js';
import { fakeNftProxierConfig } from './__fixtures__/upstream.js';
import { buildNftablesTransaction } from './transaction.js';

const DIR = new URL('../../../test/fixtures/nftables/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, DIR), 'utf8');
const commands = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));

describe('TestOverallNFTablesRules', () => {
  const tx = buildNftablesTransaction(fakeNftProxierConfig(), OVERALL_SERVICES, OVERALL_ENDPOINTS);

  it('writes upstream\'s expected transaction, command for command', () => {
    // As upstream's assertNFTablesTransactionEqual: the same commands, compared sorted.
    expect([...tx.lines].sort()).toEqual(commands(fixture('kube-proxy-overall.nft')).sort());
  });

  it('loads into the engine and lists byte for byte as nft list ruleset does', () => {
    const parsed = parseNft(tx.text, { file: 'kube-proxy' });
    expect(parsed.diagnostics).toEqual([]);
    expect(printNft(parsed.value)).toBe(fixture('kube-proxy-overall.list'));
  });
});
