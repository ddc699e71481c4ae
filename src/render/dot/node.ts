/**
 * The node view (`--view node NAME`): one node in detail. Each namespace (the node's and its
 * pods') is one record whose rows are its interfaces, as ports of an HTML-like label, with
 * addresses, MTU and state, followed by the routes of its main table that leave it. Edges join
 * veth peers port to port; the node's uplink goes to the node network. An underlay router is
 * drawn the same way, with a box for each network it joins.
 */
import type { BuiltCluster } from '../../cluster/assemble/cluster.js';
import { NODE_SEGMENT } from '../../cluster/assemble/names.js';
import type { Link } from '../../kernel/link/types.js';
import { type Netns, linksByIndex } from '../../kernel/netns.js';
import { TABLE_MAIN } from '../../kernel/route/types.js';
import { routeLine, sortedRoutes } from '../../kernel/text/route.js';
import { readIpamView } from '../../cni/calico/ipam/index.js';
import { globalAddrs } from './cluster-model.js';
import { ipamBlockLines } from './ipam-blocks.js';
import { FONT, digraph, edgeStmt, html, nodeStmt } from './dot.js';
import { namespaceColours } from './palette.js';

/** The node view as DOT text, or a problem when the node does not exist. */
export function nodeDot(built: BuiltCluster, nodeName: string, opts: { readonly maxPods: number }): { dot: string } | { problem: string } {
  const node = built.world.netns[nodeName];
  const kind = built.owners[nodeName]?.kind;
  if (node === undefined || (kind !== 'node' && kind !== 'router')) return { problem: `no node called ${nodeName} (nodes: ${built.spec.nodes.map((n) => n.name).join(', ')})` };
  const pods = built.pods.filter((p) => p.pod.nodeName === nodeName && !p.pod.hostNetwork);
  const shown = pods.slice(0, opts.maxPods);
  const colours = namespaceColours(built.pods.map((p) => p.pod.namespace));
  const blocks = ipamBlockLines(readIpamView(built.api), [nodeName]).get(nodeName) ?? [];
  const body: string[] = [nodeStmt(nodeName, { label: { html: nsTable(node, `${kind} ${nodeName}`, '#fbfbfb', kind === 'node' ? blocks : []) } })];
  for (const p of shown) {
    const ns = built.world.netns[p.netns];
    if (ns !== undefined) body.push(nodeStmt(p.netns, { label: { html: nsTable(ns, `pod ${p.pod.namespace}/${p.pod.name}`, colours.get(p.pod.namespace) ?? '#ffffff') } }));
  }
  if (pods.length > shown.length) body.push(nodeStmt('more', { label: `+${pods.length - shown.length} more pods`, shape: 'folder' }));
  const drawn = new Set([nodeName, ...shown.map((p) => p.netns)]);
  for (const l of linksByIndex(node)) {
    if (l.kind !== 'veth') continue;
    const owner = built.owners[l.peer.ns];
    if (drawn.has(l.peer.ns)) body.push(edgeStmt(`${l.peer.ns}#${eastPort(l.peer.dev)}#e`, `${nodeName}#${l.name}#w`, { dir: 'both', arrowhead: 'none', arrowtail: 'none', tooltip: `veth pair ${l.peer.dev} ⇄ ${l.name}` }));
    else if (owner?.kind === 'segment' && owner.name === NODE_SEGMENT) {
      body.push(nodeStmt('node-network', { label: `node network\n${l.peer.ns}, port ${l.peer.dev}`, shape: 'box3d' }));
      body.push(edgeStmt(`${nodeName}#${eastPort(l.name)}#e`, 'node-network', { dir: 'none' }));
    } else if (owner?.kind === 'segment') {
      // An underlay network; a router has several.
      body.push(nodeStmt(`net:${owner.name}`, { label: `network ${owner.name}\nport ${l.peer.dev}`, shape: 'box3d' }));
      body.push(edgeStmt(`${nodeName}#${eastPort(l.name)}#e`, `net:${owner.name}`, { dir: 'none' }));
    }
  }
  return {
    dot: digraph(
      `${kind} ${nodeName}`,
      {
        graph: { rankdir: 'LR', fontname: FONT, fontsize: 12, label: `netsim: ${kind} ${nodeName}`, labelloc: 't', nodesep: 0.3, ranksep: 1.2 },
        node: { fontname: FONT, fontsize: 10, shape: 'plain' },
        edge: { fontname: FONT, fontsize: 9, color: '#555555' },
      },
      body,
    ),
  };
}

/**
 * One namespace as a table: a title row, one row per interface (a port), its IPAM blocks when
 * the IPAM is block-based (calico-ipam), then its main-table routes.
 */
function nsTable(ns: Netns, title: string, fill: string, blocks: readonly string[] = []): string {
  const rows = [`<TR><TD COLSPAN="3" BGCOLOR="${fill}"><B>${html(title)}</B><BR/><FONT POINT-SIZE="8">netns ${html(ns.name)}</FONT></TD></TR>`];
  for (const l of linksByIndex(ns)) rows.push(linkRow(ns, l));
  if (blocks.length > 0) {
    rows.push('<TR><TD COLSPAN="3" ALIGN="LEFT" BORDER="1" SIDES="T"><I>IPAM blocks (calicoctl ipam show --show-blocks)</I></TD></TR>');
    for (const b of blocks) rows.push(`<TR><TD COLSPAN="3" ALIGN="LEFT">${html(b)}</TD></TR>`);
  }
  const routes = [4, 6].flatMap((f) => sortedRoutes(ns, TABLE_MAIN, f === 4 ? 4 : 6)).filter((r) => !isLinkLocal6(r.dst.addr));
  if (routes.length > 0) {
    rows.push('<TR><TD COLSPAN="3" ALIGN="LEFT"><I>routes (table main)</I></TD></TR>');
    for (const r of routes) rows.push(`<TR><TD COLSPAN="3" ALIGN="LEFT"><FONT FACE="Courier" POINT-SIZE="8">${html(routeLine(r).trim())}</FONT></TD></TR>`);
  }
  return `<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" BGCOLOR="#ffffff">${rows.join('')}</TABLE>`;
}

/**
 * A row has two ports: the device's name on its first cell (edges arrive from the west) and
 * `NAME/out` on its last (edges leave east); `/` cannot occur in a device name.
 */
function eastPort(dev: string): string {
  return `${dev}/out`;
}

/** `eth0 | veth → node-1:veth… | 10.244.0.2/24 mtu 1500 up`, the row being the port named after the device. */
function linkRow(ns: Netns, l: Link): string {
  const kind = l.kind === 'veth' ? `veth ⇄ ${l.peer.ns}:${l.peer.dev}` : l.kind === 'vxlan' ? `vxlan id ${l.vni} port ${l.dstport}` : l.kind;
  const master = l.master !== undefined ? `, master ${l.master}` : '';
  const addrs = globalAddrs(ns, l.name);
  const state = `mtu ${l.mtu} ${l.up ? 'up' : 'down'}`;
  return `<TR><TD PORT="${html(l.name)}" ALIGN="LEFT" BORDER="1" SIDES="T"><B>${html(l.name)}</B></TD><TD ALIGN="LEFT" BORDER="1" SIDES="T">${html(kind + master)}</TD><TD PORT="${html(eastPort(l.name))}" ALIGN="LEFT" BORDER="1" SIDES="T">${html([...addrs, state].join(' '))}</TD></TR>`;
}

/** fe80::/10: every interface has one; listing them would drown the routes that matter. */
function isLinkLocal6(a: { readonly family: 4 | 6; readonly value: bigint }): boolean {
  return a.family === 6 && a.value >> 118n === 0x3fan;
}
