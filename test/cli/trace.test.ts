import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

describe('netsim trace on the built-in scenario', () => {
  it('pod-a → service-b is DNATed to a backend, delivered, and the reply comes back from the ClusterIP', async () => {
    const r = await cli(['trace', 'pod-a', 'service-b', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('netsim.trace/v1');
    expect(doc.disposition).toBe('DELIVERED');
    expect(['default.b-1', 'default.b-2']).toContain(doc.forward.ending.ns);
    expect(doc.forward.ending.packet.dport).toBe(8080);
    const steps = doc.forward.hops.flatMap((h: { steps: { type: string; chain?: string; verdict?: string }[] }) => h.steps);
    const chains = steps.filter((s: { type: string }) => s.type === 'netfilter').map((s: { chain: string }) => s.chain);
    expect(chains).toContain('KUBE-SERVICES');
    expect(chains.some((c: string) => c.startsWith('KUBE-SVC-'))).toBe(true);
    expect(steps.some((s: { verdict?: string }) => s.verdict === 'DNAT')).toBe(true);
    expect(doc.reply.ending.disposition).toBe('DELIVERED');
    expect(doc.reply.ending.ns).toBe('default.pod-a');
    // The client sees the answer come from the ClusterIP it asked, not from the backend.
    expect(doc.reply.ending.packet).toMatchObject({ src: '10.96.0.2', sport: 80, dst: '10.244.0.2', dport: 40000 });
  });

  it('--all-paths shows one path per backend with probabilities that add up to 1', async () => {
    const doc = JSON.parse((await cli(['trace', 'pod-a', 'service-b', '--all-paths', '-o', 'json'])).stdout);
    expect(doc.paths.map((p: { forward: { ending: { ns: string } } }) => p.forward.ending.ns)).toEqual(['default.b-1', 'default.b-2']);
    expect(doc.paths.reduce((s: number, p: { probability: number }) => s + p.probability, 0)).toBeCloseTo(1, 9);
  });

  it('a port nothing listens on gets the kernel\'s answer: REJECTED, NO_SOCKET (reset for TCP, port unreachable for UDP)', async () => {
    const tcp = JSON.parse((await cli(['trace', 'pod-a', 'pod-c', '--port', '9999', '-o', 'json'])).stdout);
    expect(tcp.disposition).toBe('REJECTED');
    expect(tcp.forward.ending).toMatchObject({ reason: 'NO_SOCKET', ns: 'default.pod-c', detail: 'nothing listens on 10.244.1.3:9999/tcp: the kernel answers with a TCP reset' });
    expect(tcp.reply).toBeUndefined();
    const udp = JSON.parse((await cli(['trace', 'pod-a', 'pod-c', '--port', '80', '--protocol', 'udp', '-o', 'json'])).stdout);
    expect(udp.forward.ending).toMatchObject({ reason: 'NO_SOCKET', detail: 'nothing listens on 10.244.1.3:80/udp: the kernel answers with ICMP port unreachable' });
    // The declared port answers, and so does ICMP echo (the kernel itself replies).
    expect(JSON.parse((await cli(['trace', 'pod-a', 'pod-c', '-o', 'json'])).stdout).disposition).toBe('DELIVERED');
    expect(JSON.parse((await cli(['trace', 'pod-a', 'pod-c', '--protocol', 'icmp', '-o', 'json'])).stdout).disposition).toBe('DELIVERED');
  });

  it('carries the scenario\'s warnings in the JSON, as stderr prints them', async () => {
    const scenario = readFileSync('scenarios/default.yaml', 'utf8');
    const extra = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n';
    const r = await cli(['trace', 'pod-a', 'service-b', '-f', 'w.yaml', '-o', 'json'], { 'w.yaml': `${scenario}---\n${extra}` });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('SCN_IGNORED_KIND');
    const doc = JSON.parse(r.stdout);
    expect(doc.warnings).toEqual([{ code: 'SCN_IGNORED_KIND', message: expect.stringContaining('ConfigMap'), at: expect.stringMatching(/^w\.yaml:\d+:\d+$/) }]);
    expect(JSON.parse((await cli(['trace', 'pod-a', 'service-b', '-o', 'json'])).stdout)).not.toHaveProperty('warnings');
  });

  it('a node listens on kubelet\'s port (the default for a node destination), not on 80', async () => {
    expect(JSON.parse((await cli(['trace', 'pod-a', 'node-2', '-o', 'json'])).stdout).disposition).toBe('DELIVERED');
    const r = JSON.parse((await cli(['trace', 'pod-a', 'node-2', '--port', '80', '-o', 'json'])).stdout);
    expect(r.forward.ending).toMatchObject({ reason: 'NO_SOCKET', ns: 'node-2' });
  });

  it('UDP, ICMP or another port to a ClusterIP: a note says no kube-proxy rule matched and what the Service serves', async () => {
    const notes = (doc: { forward: { hops: { steps: { type: string; text?: string }[] }[] } }) => doc.forward.hops.flatMap((h) => h.steps).filter((s) => s.type === 'note').map((s) => s.text);
    const udp = JSON.parse((await cli(['trace', 'pod-a', '10.96.0.2:80', '--protocol', 'udp', '-o', 'json'])).stdout);
    expect(udp.disposition).toBe('EXITS_NETWORK');
    expect(notes(udp)).toEqual(['no kube-proxy rule matches 10.96.0.2:80/udp: service default/service-b serves 80/tcp, so KUBE-SERVICES does not DNAT the packet and it follows the default route']);
    const icmp = JSON.parse((await cli(['trace', 'pod-a', '10.96.0.2', '--protocol', 'icmp', '-o', 'json'])).stdout);
    expect(notes(icmp)[0]).toMatch(/^no kube-proxy rule matches 10\.96\.0\.2 \(icmp\): service default\/service-b serves 80\/tcp/);
    const port = JSON.parse((await cli(['trace', 'pod-a', '10.96.0.2:81', '-o', 'json'])).stdout);
    expect(notes(port)[0]).toMatch(/^no kube-proxy rule matches 10\.96\.0\.2:81\/tcp/);
  });

  it('is byte-identical for the same seed', async () => {
    const a = await cli(['trace', 'pod-a', 'service-b', '--seed', '3']);
    const b = await cli(['trace', 'pod-a', 'service-b', '--seed', '3']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('text output names the hops and ends with the disposition, without colour when not a TTY', async () => {
    const r = await cli(['trace', 'pod-a', 'service-b', '--no-reply']);
    expect(r.stdout).toMatch(/^trace pod default\/pod-a → service default\/service-b: tcp 10\.244\.0\.2:40000 → 10\.96\.0\.2:80/);
    expect(r.stdout).toContain('[1] pod default/pod-a on node-1');
    expect(r.stdout).toContain('[2] node node-1');
    expect(r.stdout).toMatch(/result {2}DELIVERED: /);
    expect(r.stdout).not.toContain('reply');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('colours on a forced TTY and not with NO_COLOR', async () => {
    expect((await cli(['trace', 'pod-a', 'b-1'], {}, { FORCE_COLOR: '1' })).stdout).toContain('\u001b[');
    expect((await cli(['trace', 'pod-a', 'b-1'], {}, { NO_COLOR: '1' })).stdout).not.toContain('\u001b[');
  });

  it.each([
    ['default/pod-a', '10.244.1.2:8080', 'DELIVERED'],
    ['pod-a', 'b-2', 'DELIVERED'],
    ['pod-a', 'svc/service-b', 'DELIVERED'],
    ['pod-a', 'service-b.default', 'DELIVERED'],
    ['node-1', 'b-2', 'DELIVERED'],
    ['pod-a', '8.8.8.8', 'EXITS_NETWORK'],
    ['pod-a', '10.244.1.99', 'NEIGHBOR_UNREACHABLE'],
  ])('%s → %s ends %s', async (src, dst, disposition) => {
    const r = await cli(['trace', src, dst, '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).disposition).toBe(disposition);
  });

  it.each([
    [['trace', 'nosuchpod', 'service-b'], /source: no pod, Service, node or IP called nosuchpod/],
    [['trace', 'pod-a', 'nosuchsvc'], /destination: no pod, Service, node or IP called nosuchsvc/],
    [['trace', 'pod-a', 'nosuch.default.svc.cluster.local', '--no-dns'], /destination: no pod, Service, node or IP called nosuch\.default\.svc\.cluster\.local/],
    [['trace', 'pod-a', 'service-b', '--port', '9999'], /has no port 9999/],
    [['trace', 'service-b', 'pod-a'], /cannot send packets/],
    [['trace', 'pod-a'], /Not enough non-option arguments|Missing required argument: dst/],
  ])('usage error %j exits 2', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a broken scenario file exits 1 with file:line:col and a caret', async () => {
    const bad = 'apiVersion: netsim.dev/v1alpha1\nkind: Cluster\nspec:\n  clusterCIDR: 10.244.0.0/33\n';
    const r = await cli(['trace', 'pod-a', 'service-b', '-f', 'bad.yaml'], { 'bad.yaml': bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bad\.yaml:4:\d+: error\[SCN_BAD_CIDR\]/m);
    expect(r.stderr).toContain('^');
  });
});

describe('scenario folders', () => {
  it('reads every .yaml file of a folder in name order', async () => {
    const v = await cli(['validate', 'test/fixtures/scenario-folder']);
    expect(v.stderr).toBe('');
    // The DNS addon's two CoreDNS pods and kube-dns count, as the implicit kubernetes Service does.
    expect(v.stdout).toContain('ok (2 nodes, 4 pods, 3 services)');
    const t = JSON.parse((await cli(['trace', 'client', 'svc/server', '-f', 'test/fixtures/scenario-folder', '-o', 'json'])).stdout);
    expect(t.disposition).toBe('DELIVERED');
    expect(t.forward.ending.ns).toBe('default.server');
  });

  it('asks which one when a pod and a Service share a name', async () => {
    const r = await cli(['trace', 'client', 'server', '-f', 'test/fixtures/scenario-folder']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('server is ambiguous: pod default/server, service default/server');
  });

  it('resolves a short name in the source pod\'s namespace, as its DNS search list does', async () => {
    const f = ['-f', 'test/fixtures/names/shop.yaml', '--no-reply'];
    expect((await cli(['trace', 'shop/client', 'web', ...f])).stdout).toMatch(/^trace pod shop\/client → service shop\/web:/);
    expect((await cli(['trace', 'shop/client', 'web.default', ...f])).stdout).toMatch(/^trace pod shop\/client → service default\/web:/);
    const ambiguous = await cli(['trace', 'shop/client', 'web-0', ...f]);
    expect(ambiguous.stdout).toMatch(/→ pod shop\/web-0:/);
    const headless = await cli(['trace', 'shop/client', 'db', '--port', '8080', '--no-dns', ...f]);
    expect(headless.stdout).toMatch(/→ pod shop\/web-0 \(headless service shop\/db resolves to 10\.244\.1\.\d+; tracing to the first\)/);
    // Without --no-dns, a headless Service's name is looked up: CoreDNS answers every ready endpoint.
    const looked = await cli(['trace', 'shop/client', 'db', '--port', '8080', ...f]);
    expect(looked.stdout).toMatch(/query {6}db\.shop\.svc\.cluster\.local\. → 10\.244\.1\.\d+ +\(every ready endpoint of headless Service shop\/db\)/);
    const ext = await cli(['trace', 'shop/client', 'ext', '--no-dns', ...f]);
    expect(ext.code).toBe(2);
    expect(ext.stderr).toContain('service shop/ext is an ExternalName Service: its DNS name is a CNAME to db.example.com');
  });

  it('says so when a folder has no scenario files', async () => {
    const r = await cli(['validate', 'test/fixtures/kernel-diff']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[FILE_UNREADABLE]');
  });
});

describe('netsim show, validate, schema', () => {
  it('shows a node as the real tools print it', async () => {
    const r = await cli(['show', 'node-1', 'route']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('default via 192.168.56.1 dev eth0');
    expect(r.stdout).toContain('10.244.1.0/24 via 192.168.56.12 dev eth0');
    const ipt = await cli(['show', 'node-1', 'iptables']);
    expect(ipt.stdout).toMatch(/^\*filter\n/m);
    expect(ipt.stdout).toContain('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000');
    const all = await cli(['show', 'pod-a']);
    expect(all.stdout).toContain('# ip addr');
    expect(all.stdout).toContain('inet 10.244.0.2/24');
  });

  it('validates files and prints the schema', async () => {
    expect((await cli(['validate', 'scenarios/default.yaml'])).stdout).toContain('ok (2 nodes, 6 pods');
    const schema = JSON.parse((await cli(['schema'])).stdout);
    expect(schema.$schema ?? schema.title).toBeDefined();
  });

  it('shows flannel\'s files on flannel nodes only', async () => {
    const f = ['-f', 'scenarios/flannel-vxlan.yaml'];
    const r = await cli(['show', 'node-2', 'flannel', ...f]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# cat /run/flannel/subnet.env\nFLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n');
    expect(r.stdout).toMatch(/# cat \/var\/lib\/cni\/flannel\/[0-9a-f]{64}\n\{"cniVersion":"0\.3\.1",/);
    expect(r.stdout).toContain('vxlan id 1 local 192.168.56.12 dev eth0 srcport 0 0 dstport 8472 nolearning');
    expect((await cli(['show', 'node-2', ...f])).stdout).toContain('# ip -d link show flannel.1');
    expect((await cli(['show', 'web-1', 'flannel', ...f])).stderr).toContain('web-1 is a pod');
    const bridge = await cli(['show', 'node-1', 'flannel']);
    expect([bridge.code, bridge.stderr]).toEqual([2, expect.stringContaining("the cluster's CNI plugin is bridge, not flannel")]);
    expect((await cli(['show', 'node-1'])).stdout).not.toContain('flannel');
  });

  it('rejects an unknown node or pod', async () => {
    const r = await cli(['show', 'node-9']);
    expect(r.code).toBe(2);
  });
});
