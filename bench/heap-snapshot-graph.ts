import { readFileSync } from 'node:fs';

/** What a V8 `.heapsnapshot` file holds (the fields this reader uses). */
interface RawSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Objects of one kind in a snapshot: how many, their own bytes, and the bytes only they keep alive. */
export interface ConstructorTotals {
  count: number;
  selfSize: number;
  retainedSize: number;
}

/** Names objects as DevTools' summary does: by constructor for objects, by kind in parentheses otherwise. */
function className(type: string, name: string): string {
  switch (type) {
    case 'object':
    case 'native':
      return name;
    case 'closure':
      return '(closure)';
    case 'string':
    case 'concatenated string':
    case 'sliced string':
      return '(string)';
    case 'code':
      return '(compiled code)';
    case 'array':
      return '(array)';
    case 'hidden':
    case 'object shape':
      return '(system)';
    default:
      return `(${type})`;
  }
}

/**
 * Reads a snapshot and totals it by constructor. Retained sizes come from the dominator tree (Cooper, Harvey and
 * Kennedy's iterative algorithm over the graph without weak edges); a constructor's retained size adds up its objects
 * not dominated by an object of the same constructor, so nested ones are not counted twice.
 */
export function totalsByConstructor(file: string): Map<string, ConstructorTotals> {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as RawSnapshot;
  const { meta } = raw.snapshot;
  const nodeWidth = meta.node_fields.length;
  const edgeWidth = meta.edge_fields.length;
  const typeAt = meta.node_fields.indexOf('type');
  const nameAt = meta.node_fields.indexOf('name');
  const sizeAt = meta.node_fields.indexOf('self_size');
  const edgeCountAt = meta.node_fields.indexOf('edge_count');
  const edgeTypeAt = meta.edge_fields.indexOf('type');
  const toAt = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[0];
  const weak = meta.edge_types[0].indexOf('weak');
  const shortcut = meta.edge_types[0].indexOf('shortcut');
  const n = raw.nodes.length / nodeWidth;

  const classes: string[] = new Array(n);
  const selfSize = new Float64Array(n);
  const firstEdge = new Uint32Array(n + 1);
  for (let i = 0, edge = 0; i < n; i += 1) {
    const base = i * nodeWidth;
    classes[i] = className(
      nodeTypes[raw.nodes[base + typeAt] ?? 0] ?? '?',
      raw.strings[raw.nodes[base + nameAt] ?? 0] ?? '',
    );
    selfSize[i] = raw.nodes[base + sizeAt] ?? 0;
    firstEdge[i] = edge;
    edge += raw.nodes[base + edgeCountAt] ?? 0;
    firstEdge[i + 1] = edge;
  }
  const children = (i: number, visit: (child: number) => void) => {
    for (let e = firstEdge[i] ?? 0; e < (firstEdge[i + 1] ?? 0); e += 1) {
      const type = raw.edges[e * edgeWidth + edgeTypeAt];
      if (type === weak || type === shortcut) continue;
      visit((raw.edges[e * edgeWidth + toAt] ?? 0) / nodeWidth);
    }
  };

  // Depth-first post-order from the root (node 0), iteratively.
  const order = new Int32Array(n).fill(-1);
  const postorder: number[] = [];
  const stack: Array<[number, number]> = [[0, firstEdge[0] ?? 0]];
  const seen = new Uint8Array(n);
  seen[0] = 1;
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as [number, number];
    const [node, edge] = top;
    if (edge >= (firstEdge[node + 1] ?? 0)) {
      order[node] = postorder.length;
      postorder.push(node);
      stack.pop();
      continue;
    }
    top[1] = edge + 1;
    const type = raw.edges[edge * edgeWidth + edgeTypeAt];
    const child = (raw.edges[edge * edgeWidth + toAt] ?? 0) / nodeWidth;
    if (type !== weak && type !== shortcut && !seen[child]) {
      seen[child] = 1;
      stack.push([child, firstEdge[child] ?? 0]);
    }
  }
  const predecessors: number[][] = Array.from({ length: n }, () => []);
  for (const node of postorder) children(node, (child) => predecessors[child]?.push(node));

  const idom = new Int32Array(n).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number) => {
    let x = a;
    let y = b;
    while (x !== y) {
      while ((order[x] ?? 0) < (order[y] ?? 0)) x = idom[x] ?? 0;
      while ((order[y] ?? 0) < (order[x] ?? 0)) y = idom[y] ?? 0;
    }
    return x;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = postorder.length - 2; k >= 0; k -= 1) {
      const node = postorder[k] ?? 0;
      let dom = -1;
      for (const pred of predecessors[node] ?? []) {
        if (idom[pred] === -1) continue;
        dom = dom === -1 ? pred : intersect(pred, dom);
      }
      if (dom !== -1 && idom[node] !== dom) {
        idom[node] = dom;
        changed = true;
      }
    }
  }
  const retained = Float64Array.from(selfSize);
  for (const node of postorder) if (node !== 0) retained[idom[node] ?? 0] += retained[node] ?? 0;

  // Walks the dominator tree keeping how many objects of each constructor are above the current one.
  const dominated: number[][] = Array.from({ length: n }, () => []);
  for (const node of postorder) if (node !== 0) dominated[idom[node] ?? 0]?.push(node);
  const above = new Map<string, number>();
  const totals = new Map<string, ConstructorTotals>();
  const walk: Array<[number, boolean]> = [[0, false]];
  while (walk.length > 0) {
    const [node, leaving] = walk.pop() as [number, boolean];
    const name = classes[node] ?? '?';
    if (leaving) {
      above.set(name, (above.get(name) ?? 1) - 1);
      continue;
    }
    const entry = totals.get(name) ?? { count: 0, selfSize: 0, retainedSize: 0 };
    entry.count += 1;
    entry.selfSize += selfSize[node] ?? 0;
    if (!above.get(name)) entry.retainedSize += retained[node] ?? 0;
    totals.set(name, entry);
    above.set(name, (above.get(name) ?? 0) + 1);
    walk.push([node, true]);
    for (const child of dominated[node] ?? []) walk.push([child, false]);
  }
  return totals;
}
