import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChunkSet } from "../../src/index/chunk-set.js";

describe("a set of chunk numbers", () => {
  it("holds exactly what was added, by number and by range, and lists it ascending", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.array(fc.tuple(fc.nat(), fc.nat())), (capacity, pairs) => {
        const set = ChunkSet.empty(capacity);
        const want = new Set<number>();
        for (const [a, b] of pairs) {
          const [from, to] = [a % capacity, b % (capacity + 1)].sort((x, y) => x - y) as [number, number];
          if ((a + b) % 2 === 0) set.addRange(from, to);
          else set.add(from);
          if ((a + b) % 2 === 0) for (let i = from; i < to; i++) want.add(i);
          else want.add(from);
        }
        expect([...set]).toEqual([...want].sort((x, y) => x - y));
        expect(set.size).toBe(want.size);
        expect(set.isEmpty()).toBe(want.size === 0);
        expect(set.isFull()).toBe(want.size === capacity);
        for (let i = 0; i < capacity; i++) expect(set.has(i)).toBe(want.has(i));
      }),
    );
  });

  it("intersects", () => {
    const a = ChunkSet.of(100, [1, 31, 32, 33, 64, 99]);
    const b = ChunkSet.empty(100);
    b.addRange(30, 65);
    expect([...a.and(b)]).toEqual([31, 32, 33, 64]);
    expect(ChunkSet.full(70).size).toBe(70);
  });
});
