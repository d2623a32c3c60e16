import type { ZodType } from 'zod';
import { isoDateInShanghai } from '../../src/identity';
import { RecordFault } from '../../src/ingest/recordFields';
import { readShape } from '../../src/ingest/recordShape';

export { keyOf } from '../../src/ingest/recordShape';

/**
 * Every civil-affairs endpoint versions its records by `updated_at`: the newest version is the
 * state, and whatever it no longer lists ends on that version's date (Asia/Shanghai).
 */
export function readVersioned<T extends { updated_at: string }>(raw: unknown, contract: ZodType<T>): { record: T; versionAt: string; versionDate: string } {
  const record = readShape(raw, contract);
  const versionAt = record.updated_at;
  if (Number.isNaN(Date.parse(versionAt))) throw new RecordFault('IMPOSSIBLE_DATE', 'updated_at', versionAt);
  return { record, versionAt, versionDate: isoDateInShanghai(versionAt) };
}
