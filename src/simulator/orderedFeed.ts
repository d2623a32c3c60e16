/**
 * One endpoint's records ordered by a number — a day (health) or an instant (disability) — and,
 * among equals, by the order they were generated in; sorted once, serialised once, so a page is
 * a slice and a filter a binary search.
 */
import { RecordStore } from './recordStore';

export class OrderedFeed {
  private keys: number[] = [];
  private sortedKeys = new Float64Array(0);
  /** store index of each position, in order */
  private sortedRecords = new Uint32Array(0);
  private sealed = false;

  constructor(private readonly store: RecordStore) {}

  get size(): number {
    return this.sealed ? this.sortedRecords.length : this.keys.length;
  }

  add(key: number, json: string): void {
    if (this.sealed) throw new Error('the feed is already sorted');
    const index = this.store.append(json);
    if (index !== this.keys.length) throw new Error('an ordered feed needs a store of its own');
    this.keys.push(key);
  }

  /** Sorts the records; the feed takes no more. */
  seal(): void {
    this.store.flush();
    const keys = this.keys;
    const order = new Uint32Array(keys.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => keys[a] - keys[b] || a - b);
    this.sortedRecords = order;
    this.sortedKeys = new Float64Array(order.length);
    for (let i = 0; i < order.length; i++) this.sortedKeys[i] = keys[order[i]];
    this.keys = [];
    this.sealed = true;
  }

  /** The first position whose key is ≥ `key` (or > it when `exclusive`). */
  firstFrom(key: number, exclusive = false): number {
    const keys = this.sortedKeys;
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (keys[middle] < key || (exclusive && keys[middle] === key)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The position of the record generated `order`-th with this key, or -1. */
  positionOf(key: number, order: number): number {
    let low = this.firstFrom(key);
    let high = this.firstFrom(key, true);
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sortedRecords[middle] < order) low = middle + 1;
      else high = middle;
    }
    return low < this.sortedRecords.length && this.sortedKeys[low] === key && this.sortedRecords[low] === order ? low : -1;
  }

  keyAt(position: number): number {
    return this.sortedKeys[position];
  }

  /** The generation order of the record at a position: with its key, a stable name for it. */
  orderAt(position: number): number {
    return this.sortedRecords[position];
  }

  json(position: number): string {
    return this.store.get(this.sortedRecords[position]);
  }

  slice(from: number, to: number): string[] {
    const out: string[] = [];
    for (let i = from; i < to && i < this.sortedRecords.length; i++) out.push(this.json(i));
    return out;
  }
}
