import type { Stream } from '../../src/ingest/connector';
import { cursorPages } from '../../src/ingest/pagination';
import { dateOf, mapRecord, oneOf, personOf, regionOf } from '../../src/ingest/recordFields';
import { REGISTER_CATEGORIES, registrationContract } from './contract';
import { keyOf, readVersioned } from './versioned';

/** Special-group registers: 留守老人/妇女/儿童, 困境儿童, 流浪乞讨人员 — active from 登记日期 to 注销日期. */
export const registriesStream: Stream = {
  name: 'registries',
  factTables: ['registration'],
  fetch: (ctx, bookmark) =>
    cursorPages(ctx.source, '/api/registries/persons', bookmark, { limit: ctx.config.pageSize ?? 500, http: ctx.http }),
  map: (raw, ctx) =>
    mapRecord(raw, keyOf(raw, 'reg_id'), ctx.location, () => {
      const { record: r, versionAt, versionDate } = readVersioned(raw, registrationContract);
      const region = regionOf(r.qhdm, 'qhdm', ctx.regions, false);
      const person = personOf(r.sfzh, r.xm, 'sfzh', region);
      return {
        recordKey: r.reg_id,
        versionAt,
        versionDate,
        deleted: r.deleted === true,
        raw,
        persons: [person],
        households: [],
        facts: {
          registration: [
            {
              item_key: '',
              person_id_number: person.idNumber,
              category: oneOf(r.lb, 'lb', REGISTER_CATEGORIES)!,
              region_code: region,
              valid_from: dateOf(r.djrq, 'djrq', true),
              valid_to: dateOf(r.zxrq, 'zxrq'),
            },
          ],
        },
      };
    }),
};
