/**
 * Dotted JSON paths as payload rules write them (gjson/sjson style subset): `a.b.c`, array
 * indexes as numeric segments (`contents.0.role`), `\.` for a literal dot in a key.
 */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (ch === '\\' && i + 1 < path.length) {
      cur += path[++i];
    } else if (ch === '.') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.filter((s, i, a) => s !== '' || a.length === 1);
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

function child(node: Container, seg: string): unknown {
  if (Array.isArray(node)) return /^\d+$/.test(seg) ? node[Number(seg)] : undefined;
  return Object.prototype.hasOwnProperty.call(node, seg) ? node[seg] : undefined;
}

/** Property names that would reach Object.prototype: refused so a rule can never pollute it. */
const UNSAFE = new Set(['__proto__', 'prototype', 'constructor']);

export function hasPath(root: unknown, path: string): boolean {
  let node: unknown = root;
  for (const seg of splitPath(path)) {
    if (!isContainer(node)) return false;
    const next = child(node, seg);
    if (next === undefined) return false;
    node = next;
  }
  return true;
}

/** Set `value` at `path`, creating objects on the way. Returns false when an array index or a scalar blocks it. */
export function setPath(root: Record<string, unknown>, path: string, value: unknown): boolean {
  const segs = splitPath(path);
  if (!segs.length || segs.some((s) => UNSAFE.has(s))) return false;
  let node: Container = root;
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i];
    let next = child(node, seg);
    if (!isContainer(next)) {
      if (next !== undefined && next !== null) return false;
      next = /^\d+$/.test(segs[i + 1]) ? [] : {};
      if (Array.isArray(node)) {
        // Arrays only grow at their end; a gap would leave holes the upstream would reject.
        if (!/^\d+$/.test(seg) || Number(seg) > node.length) return false;
        node[Number(seg)] = next;
      } else node[seg] = next;
    }
    node = next as Container;
  }
  const last = segs[segs.length - 1];
  if (Array.isArray(node)) {
    if (!/^\d+$/.test(last) || Number(last) > node.length) return false;
    node[Number(last)] = value;
  } else node[last] = value;
  return true;
}

export function deletePath(root: Record<string, unknown>, path: string): boolean {
  const segs = splitPath(path);
  let node: unknown = root;
  for (let i = 0; i < segs.length - 1; i++) {
    if (!isContainer(node)) return false;
    node = child(node, segs[i]);
  }
  if (!isContainer(node)) return false;
  const last = segs[segs.length - 1];
  if (Array.isArray(node)) {
    if (!/^\d+$/.test(last) || Number(last) >= node.length) return false;
    node.splice(Number(last), 1);
    return true;
  }
  if (!Object.prototype.hasOwnProperty.call(node, last)) return false;
  delete node[last];
  return true;
}
