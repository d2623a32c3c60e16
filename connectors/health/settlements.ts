import type { FetchContext, Stream } from '../../src/ingest/connector';
import { numberedPages } from '../../src/ingest/pagePagination';
import { amountOf, dateOf, mapRecord, oneOf, optionalText, personOf } from '../../src/ingest/recordFields';
import type { FactRow } from '../../src/ingest/types';
import { CATASTROPHIC_FLAGS, settlementContract } from './contract';
import { keyOf, readShape } from '../../src/ingest/recordShape';

/**
 * Where a sync stands in the configured years. Each year is a snapshot without change marks, so
 * every sync reads the configured years whole; the bookmark only lets a failed run resume after
 * its last committed page.
 */
export interface SettlementsBookmark {
  year?: number;
  /** the page of `year` just committed */
  page?: number;
  /** that page was the year's last */
  last?: boolean;
  /** the run read every configured year: the next one starts again from the first */
  complete?: boolean;
}

async function* settlementPages(ctx: FetchContext, bookmark: SettlementsBookmark | undefined) {
  const years = [...new Set(ctx.config.years ?? [])].sort((a, b) => a - b);
  if (!years.length) throw new Error('health: no settlement years configured (connectors.health.years)');
  let from = { year: years[0], page: 1 };
  if (bookmark && !bookmark.complete && bookmark.year !== undefined && bookmark.page !== undefined) {
    const next = years.find((y) => y > bookmark.year!);
    if (!bookmark.last && years.includes(bookmark.year)) from = { year: bookmark.year, page: bookmark.page + 1 };
    else if (next !== undefined) from = { year: next, page: 1 };
  }
  for (const year of years.filter((y) => y >= from.year)) {
    const pages = numberedPages(ctx.source, '/v2/medical/settlements', { year: String(year) }, {
      size: ctx.config.pageSize,
      fromPage: year === from.year ? from.page : 1,
      http: ctx.http,
    });
    for await (const { records, bookmark: at } of pages) {
      const complete = at.last && year === years[years.length - 1];
      yield { records, bookmark: { year, page: at.page, last: at.last, ...(complete ? { complete: true } : {}) } };
    }
  }
}

/**
 * 医保结算 hospital settlements: the costs of each stay (total, insurance, 医疗救助 medical
 * assistance, out-of-pocket), and, where medical assistance paid a part, a YLJZ benefit paid on
 * the settlement day.
 */
export const settlementsStream: Stream = {
  name: 'settlements',
  factTables: ['medical_settlement', 'benefit'],
  fetch: settlementPages,
  map: (raw, ctx) =>
    mapRecord(raw, keyOf(raw, 'jsid'), ctx.location, () => {
      const s = readShape(raw, settlementContract);
      const person = personOf(s.sfzh, s.xm, 'sfzh', null);
      const settledOn = dateOf(s.jsrq, 'jsrq', true);
      const assistance = amountOf(s.yljz, 'yljz');
      const settlement: FactRow = {
        item_key: '',
        person_id_number: person.idNumber,
        settled_on: settledOn,
        total_cost: amountOf(s.zfy, 'zfy'),
        insurance_paid: amountOf(s.ybbx, 'ybbx'),
        assistance_paid: assistance,
        out_of_pocket: amountOf(s.grzf, 'grzf'),
        diagnosis: optionalText(s.jbzd, 'jbzd'),
        catastrophic: oneOf(s.dbbz, 'dbbz', CATASTROPHIC_FLAGS, false) === '1',
        // a settlement is an event of one day
        valid_from: settledOn,
        valid_to: settledOn,
      };
      const benefits: FactRow[] =
        assistance !== null && /[1-9]/.test(assistance)
          ? [{
              item_key: 'YLJZ',
              person_id_number: person.idNumber,
              programme_code: 'YLJZ',
              amount: assistance,
              paid_on: settledOn,
              valid_from: settledOn,
              valid_to: settledOn,
            }]
          : [];
      return {
        recordKey: s.jsid.trim(),
        versionAt: null,
        versionDate: settledOn,
        deleted: false,
        raw,
        persons: [person],
        households: [],
        facts: { medical_settlement: [settlement], benefit: benefits },
      };
    }),
};
