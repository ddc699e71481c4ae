import { describe, expect, it } from 'vitest';
import { loadScenario } from '../index.js';

const TEXT = `apiVersion: netsim.dev/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  clusterCIDR: 10.0.0.0/8
  serviceCIDR: 172.16.0.0/12
  nodeNetwork: 192.168.0.0/16
  nodes: [{name: n1}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports:
    - {name: http, port: 80}
    -   name: https
        port: 443
        nodePort: 30443
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: api}
    spec:
      ports: [{port: 8080, targetPort: http}]
`;

describe("a Service port's pos, found when read", () => {
  for (const yamlReader of ['fast', 'library'] as const) {
    it(`is where its spec.ports[] entry starts, with its keys in their former order (${yamlReader} reader)`, () => {
      const { value: spec, diagnostics } = loadScenario([{ path: 's.yaml', text: TEXT }], { yamlReader });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const ports = (name: string) => spec?.services.find((s) => s.name === name)?.ports ?? [];
      expect(ports('web').map((p) => p.pos)).toEqual([{ file: 's.yaml', line: 17, col: 7 }, { file: 's.yaml', line: 18, col: 9 }]);
      expect(ports('api').map((p) => p.pos)).toEqual([{ file: 's.yaml', line: 29, col: 15 }]);
      const web = ports('web');
      expect(web.map((p) => Object.keys(p))).toEqual([
        ['name', 'protocol', 'port', 'targetPort', 'pos', 'nodePort'],
        ['name', 'protocol', 'port', 'targetPort', 'pos', 'nodePort'],
      ]);
      // Plain data as before: a copy, JSON and structuredClone hold the position as a value.
      expect(JSON.parse(JSON.stringify(web[1]))).toEqual({ name: 'https', protocol: 'TCP', port: 443, targetPort: 443, pos: { file: 's.yaml', line: 18, col: 9 }, nodePort: 30443 });
      expect(structuredClone(web[0])).toEqual({ ...web[0] });
      expect({ ...web[0] }.pos).toEqual({ file: 's.yaml', line: 17, col: 7 });
    });
  }
});
