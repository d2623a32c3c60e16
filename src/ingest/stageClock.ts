import { performance } from 'node:perf_hooks';
import type { PoolClient } from 'pg';

/**
 * Where a sync's time goes, per stage, for the benchmark's and the command line's report (issue 18):
 * fetch (waiting for and parsing a page or a file chunk), map (records to facts), hash, build
 * (statement parameters), database (time inside PostgreSQL's answers, two batches overlapping).
 * Only a run given a clock pays for it: a performance.now() pair per stage per batch, not per record.
 */
export const STAGES = ['fetch', 'map', 'hash', 'build', 'database'] as const;
export type Stage = (typeof STAGES)[number];

export class StageClock {
  readonly ms: Record<Stage, number> = { fetch: 0, map: 0, hash: 0, build: 0, database: 0 };
  /** delivered records mapped */
  records = 0;
  /** records not mapped at all: their page or chunk was delivered before, byte for byte */
  skipped = 0;

  time<T>(stage: Stage, work: () => T): T {
    const start = performance.now();
    try {
      return work();
    } finally {
      this.ms[stage] += performance.now() - start;
    }
  }

  async timeAsync<T>(stage: Stage, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.ms[stage] += performance.now() - start;
    }
  }

  /** µs per delivered record (mapped or left out as unchanged) in each stage */
  perRecord(): Record<Stage, number> {
    const out = {} as Record<Stage, number>;
    const delivered = this.records + this.skipped;
    for (const s of STAGES) out[s] = delivered ? Number(((this.ms[s] * 1000) / delivered).toFixed(1)) : 0;
    return out;
  }
}

/** A transaction's client whose statements' time goes to the clock's database stage. */
export function timedClient(client: PoolClient, clock: StageClock | undefined): PoolClient {
  if (!clock) return client;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver);
      return (...args: unknown[]) => clock.timeAsync('database', () => (target.query as (...a: unknown[]) => Promise<unknown>)(...args));
    },
  }) as PoolClient;
}

/** Runs `work` and adds its time to `stage` when there is a clock. */
export function timed<T>(clock: StageClock | undefined, stage: Stage, work: () => T): T {
  return clock ? clock.time(stage, work) : work();
}
