import { conditionColumns, type Condition } from '../engine/condition';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * R4 CENTRALISED_CARE_RATE 非自理特困人员集中供养率 — in a county (the first six digits of the TK
 * household's region), of the people named in a TK enrollment active on d whose 自理能力 (`zlnl`,
 * their membership in that household) is 半失能 or 全失能, the share with 供养方式 (`gyfs`) 集中 is
 * below `centralised_care_rate`. Compared as an exact fraction (numeric, never floating point:
 * 17 of 20 at 0.85 is compliant). People are counted once; a county with no such people has no
 * finding. A compliance figure is literal: it counts whom the enrollments name on d.
 */

/**
 * Each county's TK people on d, one row per (county, person), whether they are counted
 * (non-self-caring) or not: a county whose TK people all care for themselves is explained, not absent.
 */
const dependentTk = `
    with enrolled as materialized (
      -- the people named in a TK enrollment active on d, and whether they are counted (non-self-caring)
      select b.person_id, b.household_id, b.record_key, b.source_record_id, b.valid_from, b.valid_to, b.support_mode, m.self_care,
             coalesce(m.self_care in ('半失能', '全失能'), false) as dependent
        from benefit b
        -- the self-care the TK household's record states for this person
        join membership m on m.feed = b.feed and m.record_key = b.record_key and m.person_id = b.person_id and m.retired_at is null
       where b.programme_code = 'TK' and b.retired_at is null and weijiu_active(b.valid_from, b.valid_to, $1::date))
    select left(coalesce(hr.region_code, hp.region_code), 6) as county, e.person_id, bool_or(e.dependent) as dependent,
           bool_or(e.dependent and e.support_mode = '集中') as centralised,
           jsonb_agg(jsonb_build_object('source_record_id', e.source_record_id, 'values',
             jsonb_build_object('programme', 'TK', 'hh_id', e.record_key, 'start', e.valid_from, 'end', e.valid_to,
                                'gyfs', e.support_mode, 'zlnl', e.self_care))) filter (where e.dependent) as evidence
      from enrolled e
      join household h on h.id = e.household_id
      join person hp on hp.id = h.head_person_id
      -- the TK household's region (rules.md), by index
      left join lateral (select r.region_code from weijiu_household_region() r where r.household_id = e.household_id offset 0) hr on true
     group by 1, 2`;

/** Per county: its TK people, how many are counted, how many of those in centralised care, and their enrollments. */
const countyCare = `
    select t.county, count(distinct t.person_id) as tk_people, count(distinct t.person_id) filter (where t.dependent) as total,
           count(distinct t.person_id) filter (where t.centralised) as centralised,
           jsonb_agg(e.value order by e.value->'values'->>'hh_id') filter (where e.value is not null) as evidence
      from tk_in_county t
      left join lateral jsonb_array_elements(t.evidence) e on true
     where length(t.county) = 6
     group by t.county`;

const conditions: Condition[] = [
  {
    name: 'DEPENDENT_TK_PEOPLE',
    text: '区县内有 d 日在册、自理能力为半失能或全失能的特困人员（按特困家庭所在区划）',
    facts: ['benefit', 'membership', 'household'],
    sql: `select ${conditionColumns({
      subject: 'c.county',
      item: 'extract(year from $1::date)::int',
      holds: 'c.total > 0',
      values: `jsonb_build_object('disabled_tk', c.total, 'centralised', c.centralised)`,
      evidence: 'c.evidence',
      said: `case when c.total > 0 then $1::date || ' 在册的非自理特困人员（半失能、全失能）' || c.total || ' 人，其中集中供养 ' || c.centralised || ' 人'
                  else $1::date || ' 在册的特困人员 ' || c.tk_people || ' 人均能自理，没有需计算供养率的非自理人员' end`,
    })} from county_care c`,
  },
  {
    name: 'CARE_RATE_BELOW_MINIMUM',
    text: '非自理特困人员集中供养率低于标准（85%，按精确分数比较）',
    parameters: ['centralised_care_rate'],
    facts: ['benefit', 'membership', 'parameter'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'c.centralised::numeric < rate.value::numeric * c.total',
      values: `jsonb_build_object('disabled_tk', c.total, 'centralised', c.centralised,
                                  'share', round(c.centralised::numeric / c.total, 4)::text, 'required', rate.value)`,
      evidence: 'c.evidence',
      parameters: 'jsonb_build_array(rate.id)',
      said: `'集中供养 ' || c.centralised || ' / ' || c.total || ' 人 = ' || round(c.centralised::numeric * 100 / c.total, 2) || '%，'
             || case when c.centralised::numeric < rate.value::numeric * c.total then '低于' else '不低于' end
             || '标准 ' || trim_scale(rate.value::numeric * 100) || '%'`,
    })}
      from ${subjects} s
      join county_care c on c.county = s.subject_id and c.total > 0
      cross join lateral weijiu_param('centralised_care_rate', c.county, $1::date) rate
     -- the rate of d's year only: another year's finding is not this one
     where s.item = extract(year from $1::date)::int::text`,
  },
];

export const R4: RuleDefinition = {
  code: 'R4',
  version: '1',
  title: 'Centralised care rate below 85%',
  titleZh: '非自理特困人员集中供养率低于85%',
  kind: 'COMPLIANCE',
  subjectType: 'region',
  legalReference: `${SEED_POLICY} 一(四) 非自理集中特困供养率提高至85%以上`,
  parameters: ['centralised_care_rate'],
  shared: { tk_in_county: dependentTk, county_care: countyCare },
  conditions,
  period: { start: 'make_date(item::int, 1, 1)', end: 'make_date(item::int, 12, 31)' },
  item: { text: '年份', default: 'extract(year from $1::date)::int::text' },
};
