/**
 * A growing list of 32-bit integers in blocks of typed arrays: millions of postings without an
 * array of boxed numbers, and without the doubling copies (and their 2× peak) of one growing array.
 */
const BLOCK_BITS = 20;
const BLOCK = 1 << BLOCK_BITS;

export class IntList {
  private readonly blocks: Int32Array[] = [];
  length = 0;
  /** The largest value pushed or set (0 for an empty list). */
  max = 0;

  push(x: number): void {
    if ((this.length & (BLOCK - 1)) === 0) this.blocks.push(new Int32Array(BLOCK));
    this.blocks[this.length >>> BLOCK_BITS]![this.length & (BLOCK - 1)] = x;
    this.length++;
    if (x > this.max) this.max = x;
  }

  at(i: number): number {
    return this.blocks[i >>> BLOCK_BITS]![i & (BLOCK - 1)]!;
  }

  set(i: number, x: number): void {
    this.blocks[i >>> BLOCK_BITS]![i & (BLOCK - 1)] = x;
    if (x > this.max) this.max = x;
  }

  /** The list as one array of exactly its length (16 bits when every value fits), emptying the list block by block as it is copied. */
  drain(): Int32Array;
  drain(narrow: true): Uint16Array | Int32Array;
  drain(narrow = false): Uint16Array | Int32Array {
    const out = narrow && this.max < 1 << 16 ? new Uint16Array(this.length) : new Int32Array(this.length);
    for (let b = 0; b < this.blocks.length; b++) {
      out.set(this.blocks[b]!.subarray(0, Math.min(BLOCK, this.length - b * BLOCK)), b * BLOCK);
      this.blocks[b] = new Int32Array(0);
    }
    this.blocks.length = 0;
    this.length = 0;
    return out;
  }
}

/** `a`, or a copy of it long enough to hold index `i` (doubled, so growing by one is rare): scratch indexed by term. */
export function holding(a: Int32Array, i: number): Int32Array {
  if (i < a.length) return a;
  const bigger = new Int32Array(Math.max(i + 1, a.length * 2));
  bigger.set(a);
  return bigger;
}
