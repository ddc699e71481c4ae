import { it } from 'vitest';
import { createNetfilter, getRuleset } from '../../kernel/netfilter/index.js';
import { iptablesRestore } from '../../kernel/netfilter/restore.js';
import { printRuleset } from '../../kernel/netfilter/syntax/print.js';
it('scratch', () => {
  const nf = createNetfilter();
  const text = '*filter\n:INPUT ACCEPT [0:0] - [0:0]\n:FORWARD ACCEPT [0:0] - [0:0]\n:FOO - [0:0] - [0:0]\n:BAR\n-A FOO -p TCP --dport 80 -j ACCEPT\n-I FOO 1 -m comment --comment "x y" -m addrtype --src-type LOCAL -d 10.0.0.1 -j ACCEPT\n-A FORWARD -m physdev --physdev-is-bridged -m comment --comment "a" -d 10.0.0.1 -j FOO\n-A FOO -m comment --comment "log" -m mark ! --mark 0x10000/0x10000 -j NFLOG --nflog-group 100 -m limit --limit 10/minute --limit-burst 10 \n-A FOO -m mark ! --mark 0x10000/0x10000 -j REJECT \n-A FOO -j MARK --set-mark 0/0x10000 \n-A FOO -j MARK -m comment --comment "m" --set-xmark 0x10000/0x10000\n-A FOO -m set --match-set S src -p UDP --dport 30000:31000 -j RETURN\n-A FOO -p icmp --icmp-type echo-request -j ACCEPT\n-A INPUT -p tcp -m comment --comment "allow LOCAL TCP traffic to node ports - ABC" -m addrtype --dst-type LOCAL -m multiport --dports 30000:32767 -j RETURN\nCOMMIT\n';
  const r = iptablesRestore(nf, text, { file: 'x', family: 4, noflush: false });
  console.log(JSON.stringify(r.diagnostics.map((d) => d.message)));
  console.log(printRuleset(getRuleset(nf, 4)));
  const t6 = '*filter\n:FOO - [0:0]\n-A FOO -p ipv6-icmp --icmpv6-type neighbor-solicitation -j ACCEPT\n-A FOO -m set --match-set inet6:KUBE-SRC-X src -j RETURN\n-A FOO -j REJECT\nCOMMIT\n';
  const r6 = iptablesRestore(nf, t6, { file: 'x', family: 6, noflush: false });
  console.log(JSON.stringify(r6.diagnostics.map((d) => d.message)));
  console.log(printRuleset(getRuleset(nf, 6)));
});
