import type { Stream } from '../../src/ingest/connector';
import { cursorPages } from '../../src/ingest/pagination';
import {
  amountOf, dateOf, mapRecord, oneOf, optionalText, personOf, regionOf, relationOf, RecordFault, idNumberOf,
} from '../../src/ingest/recordFields';
import type { FactRow, PersonObservation } from '../../src/ingest/types';
import {
  APPROVAL_LEVELS, ENROLLMENT_PROGRAMMES, householdContract, REGISTRATION_TYPES, SELF_CARE, SUPPORT_MODES,
} from './contract';
import { keyOf, readVersioned } from './versioned';

/**
 * 救助家庭 assisted households: members (by ID number) and enrollments (by programme and start)
 * in DB 最低生活保障, TK 特困人员救助供养 and DSR 低收入家庭认定.
 */
export const householdsStream: Stream = {
  name: 'households',
  factTables: ['household_record', 'membership', 'benefit'],
  fetch: (ctx, bookmark) =>
    cursorPages(ctx.source, '/api/assistance/households', bookmark, { limit: ctx.config.pageSize ?? 500, http: ctx.http }),
  map: (raw, ctx) =>
    mapRecord(raw, keyOf(raw, 'hh_id'), ctx.location, () => {
      const { record: h, versionAt, versionDate } = readVersioned(raw, householdContract);
      const region = regionOf(h.qhdm, 'qhdm', ctx.regions)!;
      const head = idNumberOf(h.hzsfzh, 'hzsfzh');
      const members = new Map<string, { person: PersonObservation; relation: string; selfCare: string | null }>();
      h.members.forEach((m, i) => {
        const person = personOf(m.sfzh, m.xm, `members[${i}].sfzh`, region);
        members.set(person.idNumber, {
          person,
          relation: relationOf(m.yhzgx, `members[${i}].yhzgx`),
          selfCare: oneOf(m.zlnl, `members[${i}].zlnl`, SELF_CARE, false),
        });
      });
      const persons = [...members.values()].map((m) => m.person);
      if (!members.has(head)) {
        const id = personOf(h.hzsfzh, null, 'hzsfzh', region);
        persons.push(id);
      }
      const benefits: FactRow[] = [];
      h.enrollments.forEach((e, i) => {
        const programme = oneOf(e.xmdm, `enrollments[${i}].xmdm`, ENROLLMENT_PROGRAMMES)!;
        const start = dateOf(e.ksrq, `enrollments[${i}].ksrq`, true);
        const end = dateOf(e.zzrq, `enrollments[${i}].zzrq`);
        const common = {
          programme_code: programme,
          amount: amountOf(e.bzje, `enrollments[${i}].bzje`),
          approval_level: oneOf(e.spjb, `enrollments[${i}].spjb`, APPROVAL_LEVELS, false),
          support_mode: oneOf(e.gyfs, `enrollments[${i}].gyfs`, SUPPORT_MODES, false),
          region_code: region,
          valid_from: start,
          valid_to: end,
          household_head: head,
        };
        if (programme === 'TK') {
          // 特困 supports the listed members only, each a person-level benefit.
          const supported = (e.tkcy ?? []).map((id, j) => idNumberOf(id, `enrollments[${i}].tkcy[${j}]`));
          if (!supported.length) throw new RecordFault('MISSING_FIELD', `enrollments[${i}].tkcy`, e.tkcy);
          for (const id of supported) {
            if (!members.has(id)) throw new RecordFault('BAD_VALUE', `enrollments[${i}].tkcy`, id);
            benefits.push({ ...common, item_key: `TK|${start}|${id}`, person_id_number: id });
          }
        } else {
          benefits.push({ ...common, item_key: `${programme}|${start}` });
        }
      });
      return {
        recordKey: h.hh_id,
        versionAt,
        versionDate,
        deleted: h.deleted === true,
        raw,
        persons,
        households: [head],
        facts: {
          household_record: [
            {
              item_key: '',
              household_head: head,
              region_code: region,
              registration_type: oneOf(h.hjxz, 'hjxz', REGISTRATION_TYPES, false),
              address: optionalText(h.jtdz, 'jtdz'),
              deleted: false,
            },
          ],
          membership: [...members.values()].map((m) => ({
            item_key: m.person.idNumber,
            household_head: head,
            person_id_number: m.person.idNumber,
            relation_code: m.relation,
            self_care: m.selfCare,
          })),
          benefit: dedupeItems(benefits),
        },
      };
    }),
};

/** An enrollment delivered twice inside one record is one fact: the later line wins. */
function dedupeItems(rows: FactRow[]): FactRow[] {
  return [...new Map(rows.map((r) => [r.item_key, r])).values()];
}
