import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';

/**
 * R3 RESERVE_FUNDS 临时救助储备金、备用金 — a county (6-digit code) whose 临时救助储备金 is below
 * `county_reserve_per_resident` × its 常住人口, or a town (9-digit code) whose 备用金 is below
 * `town_backup_fund`. From the region-stats row of the year of d; an empty figure is unknown, not
 * zero: that region is not evaluated. Amounts are compared as exact numerics (49999.99 < 50000).
 */
export const R3: RuleDefinition = {
  code: 'R3',
  version: '1',
  title: 'Temporary-assistance reserve or backup fund below the minimum',
  titleZh: '临时救助储备金、备用金不足',
  kind: 'COMPLIANCE',
  subjectType: 'region',
  legalReference: `${SEED_POLICY} 二(四)1 临时救助储备金、备用金`,
  parameters: ['county_reserve_per_resident', 'town_backup_fund'],
  sql: `
    with year_rows as (
      select rs.* from region_stat rs
       where rs.retired_at is null and rs.valid_to is null
         and rs.year = extract(year from $1::date)::int),
    short as (
      select rs.region_code, rs.year, rs.source_record_id, 'county' as level,
             jsonb_build_object('residents', rs.residents, 'reserve', rs.reserve_fund::text) as facts,
             jsonb_build_object('reserve', rs.reserve_fund::text, 'residents', rs.residents,
                                'required', (per.value::numeric * rs.residents)::text) as compared,
             per.id as parameter_id
        from year_rows rs
        cross join lateral weijiu_param('county_reserve_per_resident', rs.region_code, $1::date) per
       where length(rs.region_code) = 6 and rs.reserve_fund is not null and rs.residents is not null
         and rs.reserve_fund < per.value::numeric * rs.residents
      union all
      select rs.region_code, rs.year, rs.source_record_id, 'town',
             jsonb_build_object('backup', rs.backup_fund::text),
             jsonb_build_object('backup', rs.backup_fund::text, 'required', backup.value::numeric::text),
             backup.id
        from year_rows rs
        cross join lateral weijiu_param('town_backup_fund', rs.region_code, $1::date) backup
       where length(rs.region_code) = 9 and rs.backup_fund is not null
         and rs.backup_fund < backup.value::numeric)
    select region_code as subject_id, year::text as item, '{}'::text[] as clauses,
           make_date(year, 1, 1) as period_start, make_date(year, 12, 31) as period_end,
           jsonb_build_array(jsonb_build_object('source_record_id', source_record_id, 'values', facts)) as evidence,
           jsonb_build_object('level', level) || compared as detail,
           jsonb_build_array(parameter_id) as parameters
      from short`,
};
