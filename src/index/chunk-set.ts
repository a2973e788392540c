/**
 * A set of chunks by number (their place in the index's chunk list), as a bitset. A question's
 * filters (places, years, tasks, lead departments) become one of these once per search, and
 * both rankings test membership with a bit lookup instead of a call per chunk id.
 */
export class ChunkSet {
  private constructor(
    /** How many chunks the index has: the numbers this set can hold are 0..capacity-1. */
    readonly capacity: number,
    private readonly words: Uint32Array,
  ) {}

  static empty(capacity: number): ChunkSet {
    return new ChunkSet(capacity, new Uint32Array(Math.ceil(capacity / 32)));
  }

  static full(capacity: number): ChunkSet {
    const set = ChunkSet.empty(capacity);
    set.addRange(0, capacity);
    return set;
  }

  static of(capacity: number, numbers: Iterable<number>): ChunkSet {
    const set = ChunkSet.empty(capacity);
    for (const i of numbers) set.add(i);
    return set;
  }

  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  add(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }

  /** Adds from..to-1. */
  addRange(from: number, to: number): void {
    for (let i = from; i < to && i & 31; i++) this.add(i);
    let i = from & 31 ? (from | 31) + 1 : from;
    for (; i + 32 <= to; i += 32) this.words[i >>> 5] = 0xffffffff;
    for (; i < to; i++) this.add(i);
  }

  /** The chunks in both sets. */
  and(other: ChunkSet): ChunkSet {
    const out = ChunkSet.empty(this.capacity);
    for (let w = 0; w < this.words.length; w++) out.words[w] = this.words[w]! & (other.words[w] ?? 0);
    return out;
  }

  get size(): number {
    let n = 0;
    for (let w of this.words) {
      // Population count of a 32-bit word (the classic SWAR steps).
      w -= (w >>> 1) & 0x55555555;
      w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
      n += Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
    return n;
  }

  isEmpty(): boolean {
    return this.words.every((w) => w === 0);
  }

  /** Every chunk holds: no filter at all. */
  isFull(): boolean {
    return this.size === this.capacity;
  }

  /** The numbers in the set, ascending, in an array. */
  toArray(): Int32Array {
    const out = new Int32Array(this.size);
    let n = 0;
    for (let w = 0; w < this.words.length; w++) {
      let bits = this.words[w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        out[n++] = w * 32 + 31 - Math.clz32(low);
        bits ^= low;
      }
    }
    return out;
  }

  /** The numbers in the set, ascending. */
  [Symbol.iterator](): IterableIterator<number> {
    return this.toArray()[Symbol.iterator]();
  }
}
