import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * R1 TOWN_STAFF 专职民政人员 — a town (9-digit code) with 常住人口 ≤ the split has fewer than
 * `town_staff_small` full-time civil-affairs staff, or one with more residents fewer than
 * `town_staff_large`. From the region-stats row of the year of d; an empty figure is unknown, and
 * a town with an unknown figure is not evaluated.
 */

/** The candidate's region-stats row of its year (the item), by index (region_stat_region). */
const rowOf = (subjects: string) => `${subjects} s
      join region_stat rs on rs.region_code = s.subject_id and rs.year::text = s.item and rs.retired_at is null and rs.valid_to is null`;

/** The figures the rule compares, the same record in every condition (the engine keeps it once). */
const evidence = `jsonb_build_array(${evidenceOf('rs.source_record_id', `jsonb_build_object('residents', rs.residents, 'staff', rs.staff)`)})`;

const count = (n: string) => `to_char(${n}, 'FM999,999,999,990')`;

const conditions: Condition[] = [
  {
    name: 'TOWN_FIGURES',
    text: '是乡镇（街道，9 位区划代码），有 d 所在年份的区划统计',
    facts: ['region_stat'],
    sql: `select ${conditionColumns({
      subject: 'rs.region_code',
      item: 'rs.year',
      holds: `length(rs.region_code) = 9 and rs.year = extract(year from $1::date)::int`,
      evidence,
      said: `case when rs.year <> extract(year from $1::date)::int
                    then rs.year || ' 年的区划统计，不是 ' || $1::date || ' 所在的 ' || extract(year from $1::date) || ' 年'
                  when length(rs.region_code) = 9 then rs.region_code || ' 有 ' || rs.year || ' 年的区划统计'
                  else rs.region_code || ' 不是乡镇（街道）：区划代码 ' || length(rs.region_code) || ' 位' end`,
    })}
      from region_stat rs
     -- every year's rows, the year of d's holding: another year's is explained, not silently absent
     where rs.retired_at is null and rs.valid_to is null`,
  },
  {
    name: 'RESIDENTS_KNOWN',
    text: '常住人口已填报（空白是未知，不是零）',
    facts: ['region_stat'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'rs.residents is not null',
      values: `jsonb_build_object('residents', rs.residents)`,
      evidence,
      said: `case when rs.residents is null then rs.year || ' 年常住人口未填报' else rs.year || ' 年常住人口 ' || ${count('rs.residents')} || ' 人' end`,
    })} from ${rowOf(subjects)}`,
  },
  {
    name: 'STAFF_KNOWN',
    text: '专职民政人员数已填报（空白是未知，不是零）',
    facts: ['region_stat'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'rs.staff is not null',
      values: `jsonb_build_object('staff', rs.staff)`,
      evidence,
      said: `case when rs.staff is null then rs.year || ' 年专职民政人员数未填报' else rs.year || ' 年专职民政人员 ' || rs.staff || ' 人' end`,
    })} from ${rowOf(subjects)}`,
  },
  {
    name: 'STAFF_BELOW_MINIMUM',
    text: '专职民政人员少于标准：常住人口不超过分界（5 万）的乡镇不少于 3 人，超过的不少于 5 人',
    parameters: ['town_staff_split_residents', 'town_staff_small', 'town_staff_large'],
    facts: ['region_stat', 'parameter'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'rs.staff < req.required',
      values: `jsonb_build_object('size', req.size, 'residents', rs.residents, 'staff', rs.staff, 'required', req.required)`,
      evidence,
      parameters: 'jsonb_build_array(split.id, small.id, large.id)',
      said: `case when req.required is null then '常住人口未填报，应有人数未知'
                  when rs.staff is null then '专职民政人员数未填报，无法比较'
                  else '常住人口 ' || ${count('rs.residents')} || ' 人（' || case when req.size = 'small' then '不超过 ' else '超过 ' end
                       || ${count('split.value::int')} || ' 人），应有专职民政人员不少于 ' || req.required || ' 人，现有 ' || rs.staff || ' 人'
                       || case when rs.staff < req.required then '，少 ' || (req.required - rs.staff) || ' 人' else '，达到标准' end end`,
    })}
      from ${rowOf(subjects)}
      cross join lateral weijiu_param('town_staff_split_residents', rs.region_code, $1::date) split
      cross join lateral weijiu_param('town_staff_small', rs.region_code, $1::date) small
      cross join lateral weijiu_param('town_staff_large', rs.region_code, $1::date) large
      cross join lateral (
        -- an unknown population has no size and no minimum (not the larger one)
        select case when rs.residents <= split.value::int then 'small' when rs.residents > split.value::int then 'large' end as size,
               case when rs.residents <= split.value::int then small.value::int when rs.residents > split.value::int then large.value::int end as required) req`,
  },
];

export const R1: RuleDefinition = {
  code: 'R1',
  version: '1',
  title: 'Town civil-affairs staff below the minimum',
  titleZh: '乡镇(街道)民政专职人员不足',
  kind: 'COMPLIANCE',
  subjectType: 'region',
  legalReference: `${SEED_POLICY} 二(二)2 充实社会救助工作力量`,
  parameters: ['town_staff_split_residents', 'town_staff_small', 'town_staff_large'],
  conditions,
  period: { start: 'make_date(item::int, 1, 1)', end: 'make_date(item::int, 12, 31)' },
  item: { text: '年份', default: 'extract(year from $1::date)::int::text' },
};
