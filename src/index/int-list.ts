/** A growing list of 32-bit integers in one typed array: millions of postings without an array of boxed numbers. */
export class IntList {
  private data = new Int32Array(1024);
  length = 0;

  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }

  at(i: number): number {
    return this.data[i]!;
  }

  set(i: number, x: number): void {
    this.data[i] = x;
  }

  /** The list, as an array of exactly its length. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
