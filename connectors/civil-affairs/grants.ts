import type { Stream } from '../../src/ingest/connector';
import { cursorPages } from '../../src/ingest/pagination';
import { amountOf, dateOf, mapRecord, oneOf, optionalText, personOf, regionOf, RecordFault } from '../../src/ingest/recordFields';
import { APPROVAL_LEVELS, GRANT_PROGRAMMES, grantContract } from './contract';
import { keyOf, readVersioned } from './versioned';

/**
 * Person-level grants: LS 临时救助 (one-off, paid on `ffrq`), GE 孤儿基本生活费 and SW 事实无人抚养
 * 儿童基本生活补贴 (monthly from `ksrq` to `zzrq`).
 */
export const grantsStream: Stream = {
  name: 'grants',
  factTables: ['benefit'],
  fetch: (ctx, bookmark) =>
    cursorPages(ctx.source, '/api/assistance/grants', bookmark, { limit: ctx.config.pageSize ?? 500, http: ctx.http }),
  map: (raw, ctx) =>
    mapRecord(raw, keyOf(raw, 'grant_id'), ctx.location, () => {
      const { record: g, versionAt, versionDate } = readVersioned(raw, grantContract);
      const region = regionOf(g.qhdm, 'qhdm', ctx.regions, false);
      const person = personOf(g.sfzh, g.xm, 'sfzh', region);
      const programme = oneOf(g.xmdm, 'xmdm', GRANT_PROGRAMMES)!;
      const amount = amountOf(g.je, 'je');
      const paidOn = dateOf(g.ffrq, 'ffrq');
      const start = dateOf(g.ksrq, 'ksrq');
      const end = dateOf(g.zzrq, 'zzrq');
      if (programme === 'LS' && !paidOn) throw new RecordFault('MISSING_FIELD', 'ffrq', g.ffrq);
      if (programme !== 'LS' && !start) throw new RecordFault('MISSING_FIELD', 'ksrq', g.ksrq);
      return {
        recordKey: g.grant_id,
        versionAt,
        versionDate,
        deleted: g.deleted === true,
        raw,
        persons: [person],
        households: [],
        facts: {
          benefit: [
            {
              item_key: '',
              person_id_number: person.idNumber,
              programme_code: programme,
              amount,
              paid_on: paidOn,
              approval_level: oneOf(g.spjb, 'spjb', APPROVAL_LEVELS, false),
              approval_ref: optionalText(g.ldxz_pzwh, 'ldxz_pzwh'),
              region_code: region,
              // a one-off grant's period is its payment day
              valid_from: programme === 'LS' ? paidOn : start,
              valid_to: programme === 'LS' ? paidOn : end,
            },
          ],
        },
      };
    }),
};
