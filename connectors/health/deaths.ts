import type { FetchContext, Stream } from '../../src/ingest/connector';
import { addDays, parseBusinessDate } from '../../src/identity';
import { numberedPages } from '../../src/ingest/pagePagination';
import { dateOf, mapRecord, personOf, regionOf } from '../../src/ingest/recordFields';
import { deathContract } from './contract';
import { keyOf, readShape } from '../../src/ingest/recordShape';

/** A death registered late carries an old date of death: each sync re-reads this many days before the newest it has. */
export const LATE_REGISTRATION_MARGIN_DAYS = 90;
/** the first sync reads every certificate */
const BEGINNING = '1900-01-01';

export interface DeathsBookmark {
  /** the newest date of death committed */
  swrq?: string;
  /** a run cut off part-way: the query it was paging through and the page committed last */
  resume?: { since: string; page: number; newest: string | null };
}

async function* deathPages(ctx: FetchContext, bookmark: DeathsBookmark | undefined) {
  const committed = bookmark?.swrq ?? null;
  const since = bookmark?.resume?.since ?? (committed ? addDays(committed, -LATE_REGISTRATION_MARGIN_DAYS) : BEGINNING);
  let newest = bookmark?.resume ? bookmark.resume.newest : committed;
  // a mistyped future date must not push the bookmark past deaths still to come
  const latestPlausible = addDays(ctx.asOf, 1);
  const pages = numberedPages(ctx.source, '/v2/deaths', { since }, { size: ctx.config.pageSize, fromPage: (bookmark?.resume?.page ?? 0) + 1, http: ctx.http });
  for await (const { records, bookmark: at } of pages) {
    for (const r of records) {
      const d = parseBusinessDate((r as { swrq?: unknown } | null)?.swrq);
      if (d.ok && d.date && d.date <= latestPlausible && (!newest || d.date > newest)) newest = d.date;
    }
    // the newest date becomes the bookmark only once the whole query is read: the registry
    // promises no order, so an older death may still be on a later page
    yield {
      records,
      bookmark: at.last ? (newest ? { swrq: newest } : {}) : { ...(committed ? { swrq: committed } : {}), resume: { since, page: at.page, newest } },
    };
  }
}

/** 死亡医学证明 medical death certificates (卫健委). */
export const deathsStream: Stream = {
  name: 'deaths',
  factTables: ['death_record'],
  fetch: deathPages,
  map: (raw, ctx) =>
    mapRecord(raw, keyOf(raw, 'swzmbh'), ctx.location, () => {
      const d = readShape(raw, deathContract);
      const region = regionOf(d.qhdm, 'qhdm', ctx.regions, false);
      const person = personOf(d.sfzh, d.xm, 'sfzh', region);
      const diedOn = dateOf(d.swrq, 'swrq', true);
      return {
        recordKey: d.swzmbh.trim(),
        versionAt: null,
        versionDate: diedOn,
        deleted: false,
        raw,
        persons: [person],
        households: [],
        facts: {
          death_record: [{ item_key: '', person_id_number: person.idNumber, died_on: diedOn, region_code: region, valid_from: diedOn, valid_to: null }],
        },
      };
    }),
};
