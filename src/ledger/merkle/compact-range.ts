import { EMPTY_ROOT, nodeHash } from './tree-hash';

/**
 * The root of a growing tree in O(log n) memory: only the perfect subtrees along its right
 * edge are kept (a "compact range" from leaf 0), merged as they pair up.
 */
export class CompactRange {
  /** Roots of the perfect subtrees, largest (leftmost) first, with their heights. */
  private readonly stack: Array<{ level: number; hash: Buffer }> = [];
  private leaves = 0;

  get size(): number {
    return this.leaves;
  }

  append(leaf: Buffer): void {
    let node = { level: 0, hash: leaf };
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].level === node.level) {
      const left = this.stack.pop() as { level: number; hash: Buffer };
      node = { level: node.level + 1, hash: nodeHash(left.hash, node.hash) };
    }
    this.stack.push(node);
    this.leaves += 1;
  }

  /** MTH of the leaves so far: the edge's subtrees folded from the right. */
  root(): Buffer {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let hash = this.stack[this.stack.length - 1].hash;
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nodeHash(this.stack[i].hash, hash);
    return hash;
  }
}
