import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * R2 VILLAGE_COORDINATORS 村(社区)社会救助协理员 — a village (12-digit code) with at most
 * `village_coordinators_split_households` 户 (800户以下 includes 800) has fewer than
 * `village_coordinators_small` coordinators, or one with more households fewer than
 * `village_coordinators_large`. From the region-stats row of the year of d; an empty figure is
 * unknown, not zero, and a village with an unknown figure is not evaluated.
 */

/** The candidate's region-stats row of its year (the item), by index (region_stat_region). */
const rowOf = (subjects: string) => `${subjects} s
      join region_stat rs on rs.region_code = s.subject_id and rs.year::text = s.item and rs.retired_at is null and rs.valid_to is null`;

/** The figures the rule compares, the same record in every condition (the engine keeps it once). */
const evidence = `jsonb_build_array(${evidenceOf('rs.source_record_id', `jsonb_build_object('households', rs.households, 'coordinators', rs.coordinators)`)})`;

const count = (n: string) => `to_char(${n}, 'FM999,999,999,990')`;

const conditions: Condition[] = [
  {
    name: 'VILLAGE_FIGURES',
    text: '是村（社区，12 位区划代码），有 d 所在年份的区划统计',
    facts: ['region_stat'],
    sql: `select ${conditionColumns({
      subject: 'rs.region_code',
      item: 'rs.year',
      holds: `length(rs.region_code) = 12 and rs.year = extract(year from $1::date)::int`,
      evidence,
      said: `case when rs.year <> extract(year from $1::date)::int
                    then rs.year || ' 年的区划统计，不是 ' || $1::date || ' 所在的 ' || extract(year from $1::date) || ' 年'
                  when length(rs.region_code) = 12 then rs.region_code || ' 有 ' || rs.year || ' 年的区划统计'
                  else rs.region_code || ' 不是村（社区）：区划代码 ' || length(rs.region_code) || ' 位' end`,
    })}
      from region_stat rs
     -- every year's rows, the year of d's holding: another year's is explained, not silently absent
     where rs.retired_at is null and rs.valid_to is null`,
  },
  {
    name: 'HOUSEHOLDS_KNOWN',
    text: '户数已填报（空白是未知，不是零）',
    facts: ['region_stat'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'rs.households is not null',
      values: `jsonb_build_object('households', rs.households)`,
      evidence,
      said: `case when rs.households is null then rs.year || ' 年户数未填报' else rs.year || ' 年 ' || ${count('rs.households')} || ' 户' end`,
    })} from ${rowOf(subjects)}`,
  },
  {
    name: 'COORDINATORS_KNOWN',
    text: '社会救助协理员人数已填报（空白是未知，不是零）',
    facts: ['region_stat'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'rs.coordinators is not null',
      values: `jsonb_build_object('coordinators', rs.coordinators)`,
      evidence,
      said: `case when rs.coordinators is null then rs.year || ' 年协理员人数未填报' else rs.year || ' 年社会救助协理员 ' || rs.coordinators || ' 人' end`,
    })} from ${rowOf(subjects)}`,
  },
  {
    name: 'COORDINATORS_BELOW_MINIMUM',
    text: '社会救助协理员少于标准：800 户以下（含 800 户）的村（社区）不少于 1 人，以上的不少于 2 人',
    parameters: ['village_coordinators_split_households', 'village_coordinators_small', 'village_coordinators_large'],
    facts: ['region_stat', 'parameter'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'rs.coordinators < req.required',
      values: `jsonb_build_object('size', req.size, 'households', rs.households, 'coordinators', rs.coordinators, 'required', req.required)`,
      evidence,
      parameters: 'jsonb_build_array(split.id, small.id, large.id)',
      said: `case when req.required is null then '户数未填报，应有人数未知'
                  when rs.coordinators is null then '协理员人数未填报，无法比较'
                  else ${count('rs.households')} || ' 户（' || case when req.size = 'small' then '不超过 ' else '超过 ' end
                       || ${count('split.value::numeric')} || ' 户），应有社会救助协理员不少于 ' || req.required || ' 人，现有 ' || rs.coordinators || ' 人'
                       || case when rs.coordinators < req.required then '，少 ' || (req.required - rs.coordinators) || ' 人' else '，达到标准' end end`,
    })}
      from ${rowOf(subjects)}
      cross join lateral weijiu_param('village_coordinators_split_households', rs.region_code, $1::date) split
      cross join lateral weijiu_param('village_coordinators_small', rs.region_code, $1::date) small
      cross join lateral weijiu_param('village_coordinators_large', rs.region_code, $1::date) large
      cross join lateral (
        -- an unknown household count has no size and no minimum (not the larger one)
        select case when rs.households <= split.value::numeric then 'small' when rs.households > split.value::numeric then 'large' end as size,
               case when rs.households <= split.value::numeric then small.value::numeric
                    when rs.households > split.value::numeric then large.value::numeric end as required) req`,
  },
];

export const R2: RuleDefinition = {
  code: 'R2',
  version: '1',
  title: 'Village assistance coordinators below the minimum',
  titleZh: '村(社区)社会救助协理员不足',
  kind: 'COMPLIANCE',
  subjectType: 'region',
  legalReference: `${SEED_POLICY} 二(二)2 充实社会救助工作力量`,
  parameters: ['village_coordinators_split_households', 'village_coordinators_small', 'village_coordinators_large'],
  conditions,
  period: { start: 'make_date(item::int, 1, 1)', end: 'make_date(item::int, 12, 31)' },
  item: { text: '年份', default: 'extract(year from $1::date)::int::text' },
};
