import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * D5 DUPLICATE_MEMBERSHIP 重复纳入救助家庭 — the same person is listed (in the newest version)
 * in two different civil-affairs households (different `hh_id`) that both have DB or DSR active on
 * a common day on or before d. One finding per person, with the period the two overlap.
 */

/** The households DB or DSR covers the person as a member of (a scoped run: of the people in scope). */
const listed = `
  select mb.person_id, mb.hh_id, mb.membership_source_record_id as membership_source,
         mb.programme_code, mb.valid_from, mb.valid_to, mb.amount, mb.source_record_id
    from weijiu_member_benefit('{DB,DSR}', $4::bigint[]) mb`;

/**
 * The people listed in two of them — a full run forms its pairs of these few only — or, in a
 * scoped run or an explanation, everyone asked, to say why not. Both conditions are written over
 * it, not per candidate set: the engine then joins them by hash, while a candidate set joined again
 * to a relation the planner cannot estimate may be looped over (D4's was, over thousands).
 */
const twice = `
  select person_id from listed group by person_id having min(hh_id) <> max(hh_id) or $4::bigint[] is not null`;

const listedEvidence = (l: string) =>
  evidenceOf(`${l}.membership_source`, `jsonb_build_object('household', ${l}.hh_id, 'listed', true)`);
const benefitEvidence = (l: string) =>
  evidenceOf(`${l}.source_record_id`, `jsonb_build_object(
    'household', ${l}.hh_id, 'programme', ${l}.programme_code, 'start', ${l}.valid_from, 'end', ${l}.valid_to, 'amount', ${l}.amount::text)`);

const conditions: Condition[] = [
  {
    name: 'LISTED_IN_TWO_ASSISTED_HOUSEHOLDS',
    text: '同时列为两个不同民政家庭（各户最新版本）的成员，且这两户都享受低保或低保边缘（DB 或 DSR）',
    facts: ['membership', 'benefit'],
    sql: `select ${conditionColumns({
      subject: 'l.person_id',
      holds: 'count(distinct l.hh_id) > 1',
      values: `jsonb_build_object('listedIn', jsonb_agg(distinct l.hh_id))`,
      evidence: `jsonb_agg(distinct ${listedEvidence('l')})`,
      said: `case when count(distinct l.hh_id) > 1 then '同时列在 ' || count(distinct l.hh_id) || ' 个享受低保或低保边缘的民政家庭中：'
                  else '只列在 1 个享受低保或低保边缘的民政家庭中：' end || string_agg(distinct l.hh_id, '、')`,
    })}
      from listed l
     where l.person_id in (select person_id from twice)
     group by l.person_id`,
  },
  {
    name: 'COMMON_ASSISTED_DAY',
    text: '两户的低保或低保边缘在 d 日或之前有共同的一天（起止日均含）',
    facts: ['benefit'],
    sql: `select ${conditionColumns({
      subject: 'p.subject_id',
      holds: 'bool_or(p.common)',
      values: `jsonb_build_object(
                 'households', (select jsonb_agg(distinct hh) from jsonb_array_elements_text(jsonb_agg(p.hh_x) || jsonb_agg(p.hh_y)) hh),
                 'overlapStart', min(p.overlap_start), 'overlapEnd', nullif(max(p.overlap_end), 'infinity'::date))`,
      evidence: `(select jsonb_agg(distinct e) from jsonb_array_elements(jsonb_agg(p.ev)) pair cross join jsonb_array_elements(pair) e)`,
      said: `case when bool_or(p.common)
                   then '两户自 ' || min(p.overlap_start) || coalesce(' 至 ' || nullif(max(p.overlap_end), 'infinity'::date) || ' ', ' 起')
                        || '同时享受低保或低保边缘'
                   when bool_or(p.overlap_start <= p.overlap_end)
                   then '两户共同享受的日子自 ' || min(p.overlap_start) || ' 起，晚于 ' || $1::date
                   else '两户享受低保或低保边缘的期间没有共同的一天' end`,
    })}
      from (
        select o.*, bool_or(o.common) over (partition by o.subject_id) as any_common
          from (
            select t.person_id as subject_id, x.hh_id as hh_x, y.hh_id as hh_y, o.overlap_start, o.overlap_end,
                   o.overlap_start <= o.overlap_end and o.overlap_start <= $1::date as common,
                   jsonb_build_array(${listedEvidence('x')}, ${listedEvidence('y')}, ${benefitEvidence('x')}, ${benefitEvidence('y')}) as ev
              from twice t
              join listed x on x.person_id = t.person_id
              join listed y on y.person_id = x.person_id and y.hh_id > x.hh_id
              cross join lateral (
                select greatest(coalesce(x.valid_from, '-infinity'::date), coalesce(y.valid_from, '-infinity'::date)) as overlap_start,
                       least(coalesce(x.valid_to, 'infinity'::date), coalesce(y.valid_to, 'infinity'::date)) as overlap_end) o) o) p
     -- the pairs with a common day on or before d, where there are any; else every pair, to say why not
     where p.common or not p.any_common
     group by p.subject_id`,
  },
];

export const D5: RuleDefinition = {
  code: 'D5',
  version: '1',
  title: 'Listed in two assisted households',
  titleZh: '重复纳入救助家庭',
  kind: 'DUAL_BENEFIT',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 三(二)`,
  parameters: [],
  shared: { listed, twice },
  period: { start: `(detail->>'overlapStart')::date`, end: `(detail->>'overlapEnd')::date` },
  conditions,
};
