import { isMap, isSeq, type Document } from 'yaml';

/**
 * Small edits on the YAML document so the user's comments and layout survive a UI change.
 * Paths index sequences by position; positions come from the parsed config, whose arrays keep
 * file order.
 */
export function appendIn(doc: Document, path: ReadonlyArray<string | number>, value: unknown): void {
  const node = doc.getIn(path, true);
  if (isSeq(node)) node.add(doc.createNode(value));
  else doc.setIn(path, doc.createNode([value]));
}

export function setIn(doc: Document, path: ReadonlyArray<string | number>, value: unknown): void {
  doc.setIn(path, doc.createNode(value));
}

export function deleteIn(doc: Document, path: ReadonlyArray<string | number>): void {
  doc.deleteIn(path);
}

/** Delete a map key, and the map itself when it is left empty (no `oauth-model-alias: {}` litter). */
export function deleteAndPrune(doc: Document, path: ReadonlyArray<string | number>): void {
  doc.deleteIn(path);
  for (let n = path.length - 1; n > 0; n--) {
    const parentPath = path.slice(0, n);
    const parent = doc.getIn(parentPath, true);
    if (!((isSeq(parent) || isMap(parent)) && parent.items.length === 0)) return;
    doc.deleteIn(parentPath);
  }
}
