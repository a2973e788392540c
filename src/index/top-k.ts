/** Choosing the best few of many without sorting them all (both rankings keep 50 of thousands). */

/**
 * The k best of items 0..count-1, best first, by `compare` (positive when the first is better),
 * with a heap of k items: choosing 50 of 20,000 matching chunks needs no full sort.
 */
export function topK(count: number, k: number, compare: (a: number, b: number) => number): number[] {
  if (k <= 0) return [];
  // A min-heap: the worst of the best k so far sits at the root.
  const heap: number[] = [];
  const worse = (a: number, b: number) => compare(heap[a]!, heap[b]!) < 0;
  const swap = (a: number, b: number) => ([heap[a], heap[b]] = [heap[b]!, heap[a]!]);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(l, m)) m = l;
      if (r < heap.length && worse(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let item = 0; item < count; item++) {
    if (heap.length < k) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0 && worse(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (compare(item, heap[0]!) > 0) {
      heap[0] = item;
      down(0);
    }
  }
  return heap.sort((a, b) => compare(b, a));
}
