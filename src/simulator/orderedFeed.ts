/**
 * One endpoint's records ordered by a number — a day (health) or an instant (disability) — and,
 * among equals, by the order they were generated in; sorted once, serialised once, so a page is
 * a slice and a filter a binary search. When the registry moves on a day, records arrive later
 * (merged in after their equals) and a record may be corrected in place.
 */
import { RecordStore } from './recordStore';

export class OrderedFeed {
  private keys: number[] = [];
  private sortedKeys = new Float64Array(0);
  /** store index of each position, in order */
  private sortedRecords = new Uint32Array(0);
  private sealed = false;
  /** store index of a corrected record → store index of its correction */
  private readonly corrections = new Map<number, number>();

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

  /**
   * Records that arrive after the feed was sorted: merged in after the records of equal key, so
   * positions and page tokens of the records before them keep naming the same records.
   * @returns each record's generation order (its store index), in the order given
   */
  insert(entries: readonly { key: number; json: string }[]): number[] {
    if (!this.sealed) throw new Error('insert into a sorted feed; add before it is sealed');
    const orders = entries.map((entry) => this.store.append(entry.json));
    this.store.flush();
    const added = entries.map((entry, i) => ({ key: entry.key, order: orders[i] })).sort((a, b) => a.key - b.key || a.order - b.order);
    const total = this.sortedRecords.length + added.length;
    const keys = new Float64Array(total);
    const records = new Uint32Array(total);
    let old = 0;
    let fresh = 0;
    for (let i = 0; i < total; i++) {
      // A new record's order is above every old one's: on equal keys the old come first.
      const takeOld = fresh >= added.length || (old < this.sortedKeys.length && this.sortedKeys[old] <= added[fresh].key);
      if (takeOld) {
        keys[i] = this.sortedKeys[old];
        records[i] = this.sortedRecords[old++];
      } else {
        keys[i] = added[fresh].key;
        records[i] = added[fresh++].order;
      }
    }
    this.sortedKeys = keys;
    this.sortedRecords = records;
    return orders;
  }

  /** Serves a corrected text for the record at a position (same key, same place in the order). */
  correct(position: number, json: string): void {
    const index = this.store.append(json);
    this.store.flush();
    this.corrections.set(this.sortedRecords[position], index);
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
    const index = this.sortedRecords[position];
    return this.store.get(this.corrections.get(index) ?? index);
  }

  slice(from: number, to: number): string[] {
    const out: string[] = [];
    for (let i = from; i < to && i < this.sortedRecords.length; i++) out.push(this.json(i));
    return out;
  }
}
