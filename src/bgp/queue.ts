/**
 * The simulation's event queue: a binary min-heap ordered by (time, seq). `seq` is the order of
 * scheduling, so two events at the same simulated instant run in the order they were scheduled —
 * the same input always gives the same run (no clock, no randomness).
 */

/** One scheduled item. */
interface Slot<T> {
  readonly time: number;
  readonly seq: number;
  readonly item: T;
}

/** A priority queue of items keyed by simulated time, ties broken by insertion order. */
export class EventQueue<T> {
  private readonly heap: Slot<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Schedules `item` at `time` (seconds). */
  push(time: number, item: T): void {
    const heap = this.heap;
    heap.push({ time, seq: this.seq++, item });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** The time of the earliest item, or undefined when empty. */
  peekTime(): number | undefined {
    return this.heap[0]?.time;
  }

  /** Removes and returns the earliest item with its time. */
  pop(): { time: number; item: T } | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return { time: top.time, item: top.item };
  }
}

function less<T>(a: Slot<T>, b: Slot<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
