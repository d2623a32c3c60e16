/**
 * Deterministic pseudo-random numbers. The simulator must produce the same population for the
 * same seed on every machine, so nothing here may touch Math.random or the clock.
 */

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { floor, imul } = Math;

/** MurmurHash3's 32-bit finaliser: spreads neighbouring inputs (seed, seed+1, i, i+1) apart. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit seed for one independent stream, e.g. (seed, household index, purpose). */
export function streamSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const whole = floor(part);
    const low = whole % 4294967296;
    const high = floor(whole / 4294967296);
    h = mix32(h ^ mix32(low + 0x9e3779b9));
    h = mix32(h ^ mix32(high + 0x7f4a7c15));
  }
  return h;
}

/** mulberry32: small, fast and good enough for synthetic data. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [low, high], both inclusive. */
  int(low: number, high: number): number {
    return low + floor(this.next() * (high - low + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[floor(this.next() * items.length)];
  }

  /** Picks a value with probability proportional to its weight. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of choices) total += weight;
    let point = this.next() * total;
    for (const [value, weight] of choices) {
      point -= weight;
      if (point < 0) return value;
    }
    return choices[choices.length - 1][0];
  }
}
