/**
 * The economic-check oracle's facts by ID number: each person's facts serialised once, found by
 * a binary search over the ID numbers packed into two 32-bit halves — about 12 bytes a person in
 * memory, so a whole city's 2.4 million adults fit in some 30 MB besides their facts.
 */
import { RecordStore } from './recordStore';

const ID = /^(\d{9})(\d{8})([\dX])$/;

/** The two halves of an 18-character ID: digits 1–9, and digits 10–17 with the check character. */
function halves(id: string): [number, number] | null {
  const match = ID.exec(id);
  if (!match) return null;
  return [Number(match[1]), Number(match[2]) * 11 + (match[3] === 'X' ? 10 : Number(match[3]))];
}

export class FactIndex {
  private high: number[] = [];
  private low: number[] = [];
  private sortedHigh = new Uint32Array(0);
  private sortedLow = new Uint32Array(0);
  private sortedRecords = new Uint32Array(0);

  constructor(private readonly store: RecordStore) {}

  /** Keeps a person's facts, given as their JSON objects joined by commas. */
  add(id: string, factsJson: string): void {
    const parts = halves(id);
    if (!parts) throw new Error('the oracle keeps facts under 18-character ID numbers only');
    const index = this.store.append(factsJson);
    if (index !== this.high.length) throw new Error('a fact index needs a store of its own');
    this.high.push(parts[0]);
    this.low.push(parts[1]);
  }

  get size(): number {
    return this.sortedRecords.length || this.high.length;
  }

  seal(): void {
    this.store.flush();
    const { high, low } = this;
    const order = new Uint32Array(high.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => high[a] - high[b] || low[a] - low[b]);
    this.sortedRecords = order;
    this.sortedHigh = Uint32Array.from(order, (i) => high[i]);
    this.sortedLow = Uint32Array.from(order, (i) => low[i]);
    this.high = [];
    this.low = [];
  }

  /** The ID number of the person at a position of the sorted index. */
  idAt(position: number): string {
    const low = this.sortedLow[position];
    const check = low % 11;
    return `${this.sortedHigh[position]}`.padStart(9, '0') + `${(low - check) / 11}`.padStart(8, '0') + (check === 10 ? 'X' : `${check}`);
  }

  /** The facts of the person at a position, as JSON objects joined by commas. */
  factsAt(position: number): string {
    return this.store.get(this.sortedRecords[position]);
  }

  /** Replaces the facts of the person at a position (the oracle's sources moved on). */
  replaceAt(position: number, factsJson: string): void {
    this.sortedRecords[position] = this.store.append(factsJson);
    this.store.flush();
  }

  /** The person's facts as JSON objects joined by commas, or null for someone the oracle does not know. */
  find(id: string): string | null {
    const parts = halves(id);
    if (!parts) return null;
    const [h, l] = parts;
    let lo = 0;
    let hi = this.sortedHigh.length;
    while (lo < hi) {
      const middle = (lo + hi) >>> 1;
      if (this.sortedHigh[middle] < h || (this.sortedHigh[middle] === h && this.sortedLow[middle] < l)) lo = middle + 1;
      else hi = middle;
    }
    if (lo >= this.sortedHigh.length || this.sortedHigh[lo] !== h || this.sortedLow[lo] !== l) return null;
    return this.store.get(this.sortedRecords[lo]);
  }
}
