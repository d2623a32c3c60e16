import pino from 'pino';
import { maskIdNumbersIn } from '../identity';

/**
 * The hub's log: JSON lines (pino), with every string that reaches it passed through the ID
 * number mask — messages, fields and error texts alike — so a raw 居民身份证号码 never lands
 * in a log file, whatever a caller passes.
 */
export type Logger = pino.Logger;

/** What the server and the access plugins need of a log (the hub's `Logger` is one; tests pass their own). */
export interface HubLogger {
  info(o: object | string, msg?: string): void;
  error(o: object | string, msg?: string): void;
}

/**
 * What a client is told in place of the hub's own failure, or of a response it withheld: the
 * detail goes to the log only.
 */
export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskIdNumbersIn(value);
  // An ID number held as a number (a spreadsheet cell, a JSON number) is logged as its masked text.
  if (typeof value === 'number' || typeof value === 'bigint') {
    const masked = maskIdNumbersIn(String(value));
    return masked === String(value) ? value : masked;
  }
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: maskIdNumbersIn(value.message), stack: value.stack ? maskIdNumbersIn(value.stack) : undefined };
  }
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}

export function createLogger(opts: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: opts.level ?? process.env.WEIJIU_LOG_LEVEL ?? 'info',
      base: undefined,
      formatters: { log: (obj) => maskDeep(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => maskDeep(a)) as Parameters<typeof method>);
        },
      },
    },
    // Written in the background, not by a write(2) inside every request: pino flushes what is
    // left when the process exits (also on process.exit). Only a SIGKILL can lose the last
    // lines — the audit trail lives in the database, never in this log.
    opts.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}
