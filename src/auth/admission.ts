/**
 * Admission: heavy requests cannot starve light ones, nor take the hub past its memory cap (an
 * Apollo plugin). An operation whose cost (queryLimits.ts) reaches `expensiveCost` is expensive:
 * at most `maxExpensive` of them execute at once in this process, the next ones wait their turn
 * first come first served (at most `maxQueued`, each at most `queueTimeoutMs`), and the rest are
 * refused with 503 TOO_BUSY. While the JS heap holds more than `heapFraction` of its limit, every
 * expensive operation is refused until it falls. Light operations are admitted at once, always.
 *
 * The turn is taken in responseForOperation — after every plugin's checks (didResolveOperation:
 * tokens, registered operations, the cost limit) passed — and given back when the response is sent.
 */
import v8 from 'node:v8';
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import type { Pool } from 'pg';
import type { Viewer } from './viewer';
import { DEFAULT_ADMISSION, type AdmissionConfig } from '../config/config';
import { costFiguresOf, queryCost } from './queryLimits';

/** Seconds a refused client is told to wait before it tries again. */
const RETRY_AFTER_SECONDS = 5;

/** A FIFO of turns: `enter` resolves when it is the caller's turn, or says why there is none. */
export class ExpensiveTurns {
  private running = 0;
  private readonly waiting: Array<{ admit(): void }> = [];

  constructor(private readonly limits: Pick<AdmissionConfig, 'maxExpensive' | 'maxQueued' | 'queueTimeoutMs'>) {}

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  enter(): Promise<'admitted' | 'queue full' | 'waited too long'> {
    if (this.running < this.limits.maxExpensive) {
      this.running++;
      return Promise.resolve('admitted');
    }
    if (this.waiting.length >= this.limits.maxQueued || this.limits.queueTimeoutMs === 0) return Promise.resolve('queue full');
    return new Promise((resolve) => {
      const entry = {
        admit: () => {
          clearTimeout(timer);
          resolve('admitted');
        },
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve('waited too long');
      }, this.limits.queueTimeoutMs);
      this.waiting.push(entry);
    });
  }

  /** The turn passes to the longest waiting operation, if any. */
  leave(): void {
    const next = this.waiting.shift();
    if (next) next.admit();
    else this.running--;
  }
}

/** Share of the heap limit in use now (v8's own figures: cheap enough for every expensive request). */
export function heapShare(): number {
  const heap = v8.getHeapStatistics();
  return heap.used_heap_size / heap.heap_size_limit;
}

function tooBusy(message: string, details: Record<string, unknown>): GraphQLResponse {
  // Answered here rather than thrown: a busy hub is not the client's mistake, and the error
  // formatter would turn any code it does not know into an internal error.
  return {
    http: { status: 503, headers: new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]) },
    body: { kind: 'single', singleResult: { errors: [{ message, extensions: { code: 'TOO_BUSY', ...details } }] } },
  };
}

export function admission<C extends { viewer: Viewer }>(pool: Pool, limits: AdmissionConfig = DEFAULT_ADMISSION): ApolloServerPlugin<C> {
  const turns = new ExpensiveTurns(limits);
  return {
    async requestDidStart() {
      let holdsTurn = false;
      return {
        async responseForOperation({ contextValue, document, operation, request, schema }) {
          const figures = await costFiguresOf(pool);
          const cost = queryCost(schema, document, operation, request.variables, { figures, scope: contextValue.viewer.regionPrefix });
          if (cost < limits.expensiveCost) return null;
          const details = { cost, expensiveCost: limits.expensiveCost };
          const heapRefusal = () => {
            const share = heapShare();
            return share > limits.heapFraction
              ? tooBusy(
                  `The hub's memory is ${Math.round(share * 100)}% used (limit ${Math.round(limits.heapFraction * 100)}%): operations costing ${limits.expensiveCost} or more (this one: ${cost}) are refused until it falls; try again in a minute, or ask for less`,
                  { ...details, reason: 'MEMORY' },
                )
              : null;
          };
          const before = heapRefusal();
          if (before) return before;
          const asked = Date.now();
          const turn = await turns.enter();
          if (turn !== 'admitted') {
            const waited = Date.now() - asked;
            return tooBusy(
              `The hub is already running ${turns.inFlight} expensive operations (cost ${limits.expensiveCost} or more; this one: ${cost}) with ${turns.queued} waiting; ` +
                `${turn === 'waited too long' ? `this one waited ${(waited / 1000).toFixed(1)} s and ` : ''}was not admitted: try again shortly, or ask for less`,
              { ...details, reason: 'CONCURRENCY', waitedMs: waited },
            );
          }
          holdsTurn = true;
          // the heap may have grown while it waited
          const after = heapRefusal();
          if (after) {
            holdsTurn = false;
            turns.leave();
            return after;
          }
          return null;
        },
        async willSendResponse() {
          if (!holdsTurn) return;
          holdsTurn = false;
          turns.leave();
        },
      };
    },
  };
}
