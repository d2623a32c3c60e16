import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * R3 RESERVE_FUNDS 临时救助储备金、备用金 — a county (6-digit code) whose 临时救助储备金 is below
 * `county_reserve_per_resident` × its 常住人口, or a town (9-digit code) whose 备用金 is below
 * `town_backup_fund`. From the region-stats row of the year of d; an empty figure is unknown, not
 * zero: that region is not evaluated. Amounts are compared as exact numerics (49999.99 < 50000).
 */

/** The candidate's region-stats row of its year (the item), by index (region_stat_region). */
const rowOf = (subjects: string) => `${subjects} s
      join region_stat rs on rs.region_code = s.subject_id and rs.year::text = s.item and rs.retired_at is null and rs.valid_to is null`;

/** The figures a county's or a town's fund is judged by, the same record in every condition (the engine keeps it once). */
const evidence = `jsonb_build_array(${evidenceOf(
  'rs.source_record_id',
  `case length(rs.region_code) when 6 then jsonb_build_object('residents', rs.residents, 'reserve', rs.reserve_fund::text)
                               else jsonb_build_object('backup', rs.backup_fund::text) end`,
)})`;

const yuan = (n: string) => `to_char(${n}, 'FM999,999,999,999,990.00')`;
const count = (n: string) => `to_char(${n}, 'FM999,999,999,990')`;

const conditions: Condition[] = [
  {
    name: 'COUNTY_OR_TOWN_FIGURES',
    text: '是区县（6 位区划代码）或乡镇（街道，9 位），有 d 所在年份的区划统计',
    facts: ['region_stat'],
    sql: `select ${conditionColumns({
      subject: 'rs.region_code',
      item: 'rs.year',
      holds: `length(rs.region_code) in (6, 9) and rs.year = extract(year from $1::date)::int`,
      values: `case length(rs.region_code) when 6 then jsonb_build_object('level', 'county') when 9 then jsonb_build_object('level', 'town') end`,
      evidence,
      said: `case when rs.year <> extract(year from $1::date)::int
                    then rs.year || ' 年的区划统计，不是 ' || $1::date || ' 所在的 ' || extract(year from $1::date) || ' 年'
                  when length(rs.region_code) = 6 then rs.region_code || ' 是区县，有 ' || rs.year || ' 年的区划统计'
                  when length(rs.region_code) = 9 then rs.region_code || ' 是乡镇（街道），有 ' || rs.year || ' 年的区划统计'
                  else rs.region_code || ' 既不是区县也不是乡镇（街道）：区划代码 ' || length(rs.region_code) || ' 位' end`,
    })}
      from region_stat rs
     -- every year's rows, the year of d's holding: another year's is explained, not silently absent
     where rs.retired_at is null and rs.valid_to is null`,
  },
  {
    name: 'FIGURES_KNOWN',
    text: '比较所需的数字已填报：区县的储备金和常住人口，乡镇的备用金（空白是未知，不是零）',
    facts: ['region_stat'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: `case length(rs.region_code) when 6 then rs.reserve_fund is not null and rs.residents is not null
                                         when 9 then rs.backup_fund is not null else false end`,
      values: `case length(rs.region_code) when 6 then jsonb_build_object('reserve', rs.reserve_fund::text, 'residents', rs.residents)
                                          when 9 then jsonb_build_object('backup', rs.backup_fund::text) end`,
      evidence,
      said: `case length(rs.region_code)
               when 6 then concat_ws('，',
                 case when rs.reserve_fund is null then '临时救助储备金未填报' else '临时救助储备金 ' || ${yuan('rs.reserve_fund')} || ' 元' end,
                 case when rs.residents is null then '常住人口未填报' else '常住人口 ' || ${count('rs.residents')} || ' 人' end)
               when 9 then case when rs.backup_fund is null then '临时救助备用金未填报' else '临时救助备用金 ' || ${yuan('rs.backup_fund')} || ' 元' end
             end`,
    })} from ${rowOf(subjects)}`,
  },
  {
    name: 'FUND_BELOW_MINIMUM',
    text: '资金低于标准：区县临时救助储备金不少于每常住人口 5 元，乡镇（街道）备用金不少于 5 万元',
    parameters: ['county_reserve_per_resident', 'town_backup_fund'],
    facts: ['region_stat', 'parameter'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'rs.reserve_fund < per.value::numeric * rs.residents',
      values: `jsonb_build_object('reserve', rs.reserve_fund::text, 'residents', rs.residents, 'required', (per.value::numeric * rs.residents)::text)`,
      evidence,
      parameters: 'jsonb_build_array(per.id)',
      said: `case when rs.reserve_fund is null or rs.residents is null then '储备金或常住人口未填报，无法比较'
                  else '临时救助储备金 ' || ${yuan('rs.reserve_fund')} || ' 元，应不少于 ' || per.value || ' 元 × ' || ${count('rs.residents')}
                       || ' 人 = ' || ${yuan('per.value::numeric * rs.residents')} || ' 元'
                       || case when rs.reserve_fund < per.value::numeric * rs.residents
                               then '，少 ' || ${yuan('per.value::numeric * rs.residents - rs.reserve_fund')} || ' 元' else '，达到标准' end end`,
    })}
      from ${rowOf(subjects)}
      cross join lateral weijiu_param('county_reserve_per_resident', rs.region_code, $1::date) per
     where length(rs.region_code) = 6
     union all
     select ${conditionColumns({
       subject: 's.subject_id',
       item: 's.item',
       holds: 'rs.backup_fund < backup.value::numeric',
       values: `jsonb_build_object('backup', rs.backup_fund::text, 'required', backup.value::numeric::text)`,
       evidence,
       parameters: 'jsonb_build_array(backup.id)',
       said: `case when rs.backup_fund is null then '备用金未填报，无法比较'
                   else '临时救助备用金 ' || ${yuan('rs.backup_fund')} || ' 元，应不少于 ' || ${yuan('backup.value::numeric')} || ' 元'
                        || case when rs.backup_fund < backup.value::numeric
                                then '，少 ' || ${yuan('backup.value::numeric - rs.backup_fund')} || ' 元' else '，达到标准' end end`,
     })}
      from ${rowOf(subjects)}
      cross join lateral weijiu_param('town_backup_fund', rs.region_code, $1::date) backup
     where length(rs.region_code) = 9`,
  },
];

export const R3: RuleDefinition = {
  code: 'R3',
  version: '1',
  title: 'Temporary-assistance reserve or backup fund below the minimum',
  titleZh: '临时救助储备金、备用金不足',
  kind: 'COMPLIANCE',
  subjectType: 'region',
  legalReference: `${SEED_POLICY} 二(四)1 临时救助储备金、备用金`,
  parameters: ['county_reserve_per_resident', 'town_backup_fund'],
  conditions,
  period: { start: 'make_date(item::int, 1, 1)', end: 'make_date(item::int, 12, 31)' },
  item: { text: '年份', default: 'extract(year from $1::date)::int::text' },
};
