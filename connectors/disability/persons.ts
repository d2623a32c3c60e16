import type { Stream } from '../../src/ingest/connector';
import { isoDateInShanghai } from '../../src/identity';
import { amountOf, countOf, dateOf, mapRecord, oneOf, personOf, RecordFault, regionOf } from '../../src/ingest/recordFields';
import { tokenPages } from '../../src/ingest/tokenPagination';
import type { FactRow } from '../../src/ingest/types';
import { CATEGORIES, GRADES, personContract, STATUSES, SUBSIDY_PROGRAMMES } from './contract';
import { keyOf, readShape } from '../../src/ingest/recordShape';

/** A small whole number from a fixed list (category, grade), given as a number or as digits. */
function codeOf<T extends number>(value: unknown, field: string, allowed: readonly T[]): T {
  const n = countOf(value, field);
  if (n === null) throw new RecordFault('MISSING_FIELD', field, value);
  if (!allowed.includes(n as T)) throw new RecordFault('BAD_VALUE', field, value);
  return n as T;
}

const SUBSIDY_TYPES = Object.keys(SUBSIDY_PROGRAMMES) as Array<keyof typeof SUBSIDY_PROGRAMMES>;

/** The Shanghai calendar date of a version time: the day facts missing from that version end. */
function versionDateOf(modifiedAt: string): string {
  try {
    if (Number.isNaN(Date.parse(modifiedAt))) throw new RangeError(modifiedAt);
    return isoDateInShanghai(modifiedAt);
  } catch {
    throw new RecordFault('IMPOSSIBLE_DATE', 'modifiedAt', modifiedAt);
  }
}

/**
 * 残疾人证 disability certificates and their 两项补贴 (living and nursing subsidies), versioned by
 * `modifiedAt`: a subsidy missing from a newer version ends on that version's date.
 */
export const personsStream: Stream = {
  name: 'persons',
  factTables: ['disability_certificate', 'benefit'],
  fetch: (ctx, bookmark) => tokenPages(ctx.source, '/openapi/v1/persons', bookmark, { pageSize: ctx.config.pageSize, http: ctx.http }),
  map: (raw, ctx) =>
    mapRecord(raw, keyOf(raw, 'certNo'), ctx.location, () => {
      const p = readShape(raw, personContract);
      const versionDate = versionDateOf(p.modifiedAt);
      const region = regionOf(p.regionCode, 'regionCode', ctx.regions, false);
      const person = personOf(p.idCard, p.name, 'idCard', region);
      const certificateNo = p.certNo.trim();
      const benefits = new Map<string, FactRow>();
      (p.subsidies ?? []).forEach((s, i) => {
        const type = oneOf(s.type, `subsidies[${i}].type`, SUBSIDY_TYPES)!;
        const start = dateOf(s.startDate, `subsidies[${i}].startDate`, true);
        const itemKey = `${type}|${start}`;
        // a subsidy delivered twice inside one record is one fact: the later line wins
        benefits.set(itemKey, {
          item_key: itemKey,
          person_id_number: person.idNumber,
          programme_code: SUBSIDY_PROGRAMMES[type],
          amount: amountOf(s.monthlyAmount, `subsidies[${i}].monthlyAmount`),
          region_code: region,
          valid_from: start,
          valid_to: dateOf(s.endDate, `subsidies[${i}].endDate`),
        });
      });
      return {
        recordKey: certificateNo,
        versionAt: p.modifiedAt,
        versionDate,
        deleted: false,
        raw,
        persons: [person],
        households: [],
        facts: {
          disability_certificate: [
            {
              item_key: '',
              person_id_number: person.idNumber,
              certificate_no: certificateNo,
              category: codeOf(p.category, 'category', CATEGORIES),
              grade: codeOf(p.grade, 'grade', GRADES),
              status: oneOf(p.status, 'status', STATUSES)!,
              region_code: region,
              valid_from: dateOf(p.issueDate, 'issueDate', true),
              valid_to: dateOf(p.validUntil, 'validUntil'),
            },
          ],
          benefit: [...benefits.values()],
        },
      };
    }),
};
