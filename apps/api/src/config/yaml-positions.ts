import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

function keyOf(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

/**
 * Where the key path points in the YAML text: the key itself when it is a map
 * entry, else the item; a path that goes past what the file has (a missing key)
 * gives the deepest node that exists, so the reader lands next to it.
 */
export function positionOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): Position | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0];
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && String(keyOf(item.key)) === String(segment));
      if (!pair) break;
      offset = (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  if (offset === undefined) return undefined;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}
