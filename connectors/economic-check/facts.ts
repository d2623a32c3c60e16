import type { FetchContext, MapContext, Stream } from '../../src/ingest/connector';
import { amountOf, dateOf, mapRecord, oneOf, optionalText, personOf, requiredText } from '../../src/ingest/recordFields';
import type { MapResult } from '../../src/ingest/types';
import { factContract, keyOf, MAX_IDS_PER_CALL, SOURCES } from './contract';
import { readShape } from '../../src/ingest/recordShape';
import { askInBatches, batchesOf } from './oracle';
import { population } from './population';

/**
 * Where the nightly check stands. Every run asks about the whole population of its day; the
 * bookmark only lets a run of the same day that was cut off resume after its last committed batch.
 */
export interface FactsBookmark {
  asOf?: string;
  /** the last person (graph id) whose answer is committed */
  afterPersonId?: string;
  /** the run of `asOf` asked about everybody */
  complete?: boolean;
}

async function* nightlyCheck(ctx: FetchContext, bookmark: FactsBookmark | undefined) {
  const people = await population(ctx.pool, ctx.asOf);
  const resumeAfter = bookmark?.asOf === ctx.asOf && !bookmark.complete && bookmark.afterPersonId ? BigInt(bookmark.afterPersonId) : null;
  const todo = resumeAfter === null ? people : people.filter((p) => BigInt(p.personId) > resumeAfter);
  const batches = batchesOf(todo, ctx.config.pageSize ?? MAX_IDS_PER_CALL);
  if (!batches.length) {
    yield { records: [], bookmark: { asOf: ctx.asOf, complete: true } };
    return;
  }
  let i = 0;
  for await (const answer of askInBatches(ctx.source, batches.map((b) => b.map((p) => p.idNumber)), { http: ctx.http })) {
    const batch = batches[i++];
    const bookmarkNow: FactsBookmark =
      i === batches.length ? { asOf: ctx.asOf, complete: true } : { asOf: ctx.asOf, afterPersonId: batch[batch.length - 1].personId };
    yield { records: answer.results, bookmark: bookmarkNow };
  }
}

/** One fact of one register about one person on one date: its own record, never changed afterwards. */
export function mapEconomicFact(raw: unknown, ctx: MapContext): MapResult {
  return mapRecord(raw, keyOf(raw), ctx.location, () => {
    const f = readShape(raw, factContract);
    // the oracle gives no name or region: the person is named by the ID number alone
    const person = personOf(f.sfzh, null, 'sfzh', null);
    const source = oneOf(f.source, 'source', SOURCES)!;
    const item = requiredText(f.item, 'item');
    const asOf = dateOf(f.as_of, 'as_of', true);
    return {
      recordKey: keyOf(raw)!,
      versionAt: null,
      versionDate: asOf,
      deleted: false,
      raw,
      persons: [person],
      households: [],
      facts: {
        economic_fact: [
          {
            item_key: '',
            person_id_number: person.idNumber,
            source,
            item,
            value: amountOf(f.value, 'value'),
            unit: optionalText(f.unit, 'unit'),
            as_of: asOf,
            valid_from: asOf,
            valid_to: null,
          },
        ],
      },
    };
  });
}

/** 家庭经济状况核对 nightly: the facts of everybody in the nightly population (rules.md). */
export const factsStream: Stream = {
  name: 'facts',
  factTables: ['economic_fact'],
  fetch: nightlyCheck,
  map: mapEconomicFact,
};
