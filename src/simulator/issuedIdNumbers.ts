/**
 * ID numbers already given out in one generation run: no two synthetic people share an ID.
 * The city's own counties hold nearly everyone, so each keeps a bitset per birth year (one bit
 * per day and sequence, 46 KB); the few people registered elsewhere go in a plain set.
 */
import { compactDate, dayFromCivil, isoDate, yearOf } from './calendar';
import { idNumber } from './idNumber';
import type { Sex } from './names';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { ceil } = Math;

const DAYS_SINCE_1800 = -dayFromCivil(1800, 1, 1);

export class IssuedIdNumbers {
  private readonly regions = new Map<string, number>();
  private readonly chunks = new Map<number, Uint8Array>();
  private readonly sparse = new Set<number>();

  /** @param city IDs registered in this city's counties are the dense ones */
  constructor(private readonly city: string) {}

  /** A new ID: the drawn sequence if free, else the next free one of the same sex. */
  issue(region: string, birth: number, sex: Sex, drawnSequence: number): string {
    let regionIndex = this.regions.get(region);
    if (regionIndex === undefined) {
      regionIndex = this.regions.size;
      this.regions.set(region, regionIndex);
    }
    const taken = region.startsWith(this.city) ? this.bitsetTest(regionIndex, birth) : this.setTest(regionIndex, birth);
    // Men have odd sequences 001–999, women even ones 002–998.
    const [first, last] = sex === 'M' ? [1, 999] : [2, 998];
    let sequence = drawnSequence;
    for (let attempt = 0; attempt < 500; attempt++) {
      if (taken(sequence)) {
        sequence = sequence + 2 > last ? first : sequence + 2;
        continue;
      }
      return idNumber(region, compactDate(birth), sequence);
    }
    throw new Error(`no free ID sequence left for region ${region} on ${isoDate(birth)}`);
  }

  /** A test-and-take of one sequence on one (region, birth day) in that year's bitset. */
  private bitsetTest(regionIndex: number, birth: number): (sequence: number) => boolean {
    const year = yearOf(birth);
    const dayOfYear = birth - dayFromCivil(year, 1, 1);
    const chunkKey = regionIndex * 4096 + (year - 1800);
    let chunk = this.chunks.get(chunkKey);
    if (!chunk) {
      chunk = new Uint8Array(ceil((366 * 1000) / 8));
      this.chunks.set(chunkKey, chunk);
    }
    const bits = chunk;
    return (sequence) => {
      const bit = dayOfYear * 1000 + sequence;
      if ((bits[bit >> 3] & (1 << (bit & 7))) !== 0) return true;
      bits[bit >> 3] |= 1 << (bit & 7);
      return false;
    };
  }

  private setTest(regionIndex: number, birth: number): (sequence: number) => boolean {
    const base = (regionIndex * 100_000 + birth + DAYS_SINCE_1800) * 1000;
    return (sequence) => {
      if (this.sparse.has(base + sequence)) return true;
      this.sparse.add(base + sequence);
      return false;
    };
  }
}
