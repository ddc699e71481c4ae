import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeComment, ruleHashes } from './rule.js';
import { lengthLimitedId } from './endpoints.js';

// Hashes read off real Calico 3.2x nodes (`iptables-save` of a kubeadm cluster with IPIP), so the
// scheme (SHA-224 chained over the chain name and each rule in Felix's spelling) is Felix's.
describe('ruleHashes (felix/iptables/rules.go Chain.RuleHashes)', () => {
  it.each([
    ['INPUT', '--jump cali-INPUT', 'Cz_u1IQiXIMmKD4c'],
    ['FORWARD', '--jump cali-FORWARD', 'wUHhoiAYhphO9Mso'],
    ['OUTPUT', '--jump cali-OUTPUT', 'tVnHkvAo15HuiPy0'],
    ['PREROUTING', '--jump cali-PREROUTING', '6gwbT8clXdHdC1b1'],
    ['POSTROUTING', '--jump cali-POSTROUTING', 'O3lYWMrLQYEMJtB5'],
  ])('the jump from %s', (chain, action, want) => {
    expect(ruleHashes(chain, [{ action }])).toEqual([want]);
  });

  it('chains each hash over the rules before it (cali-INPUT with IPIP)', () => {
    const got = ruleHashes('cali-INPUT', [
      { comments: ['Allow IPIP packets from Calico hosts'], match: ['-p 4', '-m set --match-set cali40all-hosts-net src', '-m addrtype --dst-type LOCAL'], action: '--jump ACCEPT' },
      { comments: ['Drop IPIP packets from non-Calico hosts'], match: ['-p 4'], action: '--jump DROP' },
      { match: ['--in-interface cali+'], action: '--goto cali-wl-to-host' },
    ]);
    expect(got).toEqual(['PajejrV4aFdkZojI', '_wjq-Yrma8Ly1Svo', '8TZGxLWh_Eiz66wc']);
  });

  it('hashes appended rules under `<chain>*appends*`', () => {
    const got = ruleHashes('FORWARD*appends*', [
      { comments: ['Policy explicitly accepted packet.'], match: ['-m mark --mark 0x10000/0x10000'], action: '--jump ACCEPT' },
      { action: '--jump MARK --set-mark 0x10000/0x10000' },
    ]);
    expect(got).toEqual(['S93hcgKJrXEqnTfs', 'mp77cMpurHhyjLrM']);
  });

  it('gives 16 URL-safe base64 characters that change with the position', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 5 }), (chain, actions) => {
        const hs = ruleHashes(chain, actions.map((action) => ({ action })));
        expect(hs).toHaveLength(actions.length);
        for (const h of hs) expect(h).toMatch(/^[A-Za-z0-9_-]{16}$/);
        expect(new Set(hs).size).toBe(hs.length);
      }),
    );
  });
});

describe('escapeComment and lengthLimitedId', () => {
  it('replaces what a shell would mangle and cuts at 256', () => {
    expect(escapeComment('a "b" $c')).toBe('a _b_ _c');
    expect(escapeComment('x'.repeat(300))).toHaveLength(256);
  });

  it('keeps names that fit in 28 characters and hashes longer ones', () => {
    expect(lengthLimitedId('cali-pri-', 'ksa.default.default')).toBe('cali-pri-ksa.default.default');
    const long = lengthLimitedId('cali-pro-', 'ksa.kube-system.coredns-autoscaler');
    expect(long).toHaveLength(28);
    expect(long.startsWith('cali-pro-_')).toBe(true);
  });
});
