import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfHouseholds, householdRegions } from '../engine/scopedFacts';

/**
 * D4 ASSET_MISMATCH 家庭经济状况不符 — a household with DB, TK or DSR active on d whose listed
 * members' economic-check facts (per person, source and item the newest `as_of` on or before d)
 * show any of: a VEHICLE of a kind not in `exempt_vehicle_kinds`; BUSINESS ≥ 1; REAL_ESTATE
 * summed over the household > `real_estate_max`; (BANK + INSURANCE summed over the household) ÷
 * number of members > `deposit_months` × the monthly DB standard for the household's region and
 * 城镇/农村 type (`hjxz`) on d. Every clause that holds is named. All listed members count,
 * deceased ones included (rules.md "member").
 */

const yuan = (n: string) => `to_char(${n}, 'FM999,999,999,990.00')`;
/** a count of properties or registrations as the check gives it, without trailing zeros */
const count = (n: string) => `trim_scale(${n})::text`;
const PROGRAMME_ZH = `case b.programme_code when 'DB' then '低保' when 'TK' then '特困供养' else '低保边缘' end`;

/** The assisted households in scope (a scoped run: their benefits by index). */
const assisted = `
  select distinct b.household_id
    from ${factsOfHouseholds('benefit', `f.household_id is not null and f.programme_code in ('DB', 'TK', 'DSR')
                                          and weijiu_active(f.valid_from, f.valid_to, $1::date)`)} b`;

/** The benefits of the household `household` that make it assisted on d, looked up by index: evidence. */
const assistance = (household: string, what: string) => `(
  select ${what} from benefit b
   where b.household_id = ${household} and b.retired_at is null and b.programme_code in ('DB', 'TK', 'DSR')
     and weijiu_active(b.valid_from, b.valid_to, $1::date))`;
const benefitEvidence = evidenceOf('b.source_record_id', `jsonb_build_object('programme', b.programme_code, 'start', b.valid_from, 'end', b.valid_to, 'amount', b.amount::text)`);

/**
 * Every assisted household in scope with its figures against its limits — its place, listed
 * members, their newest checked facts summed, the limits of its region and type — and which
 * clause each figure meets (`measured`: it has listed members and its limits are set).
 *
 * Every condition is written over this one relation whole, not per candidate set: its rows are
 * the candidates themselves, and the engine joins the conditions by hash — a condition per
 * candidate set joins them again to a relation the planner cannot estimate, and it chose nested
 * loops over thousands of households. `shown`: a household a clause flags, or any in a scoped
 * run or an explanation (few) — only those get values and evidence, which a full run reads of
 * its hits alone.
 */
const assessed = `
  with place as (
    -- the household's region and type (weijiu_household_region; in a scoped run by index)
    select hr.household_id, hr.record_key as hh_id, hr.region_code, hr.registration_type, hr.source_record_id
      from ${householdRegions()} hr
      join assisted a on a.household_id = hr.household_id),
  -- the listed members, of either record of the household (the same head: one household)
  member as (
    select distinct m.household_id, m.person_id
      from weijiu_household_member() m
      join assisted a on a.household_id = m.household_id),
  -- per person, source and item the newest check on or before d; the members joined, not probed
  -- with \`in (select … from member)\`, which the planner ran as a scan of the members per fact
  newest as materialized (
    select distinct on (f.person_id, f.source, f.item) f.person_id, f.source, f.item, f.value
      from (select distinct person_id from member) mp
      join economic_fact f on f.person_id = mp.person_id
     where f.retired_at is null and f.as_of <= $1::date and f.source in ('VEHICLE', 'BUSINESS', 'REAL_ESTATE', 'BANK', 'INSURANCE')
     order by f.person_id, f.source, f.item, f.as_of desc),
  assets as materialized (
    select mb.household_id, count(distinct mb.person_id) as members,
           coalesce(sum(n.value) filter (where n.source in ('BANK', 'INSURANCE')), 0) as financial_assets,
           coalesce(sum(n.value) filter (where n.source = 'REAL_ESTATE'), 0) as properties,
           coalesce(max(n.value) filter (where n.source = 'BUSINESS'), 0) as businesses,
           array_agg(distinct n.item) filter (where n.source = 'VEHICLE' and n.value > 0) as vehicle_kinds
      from member mb
      left join newest n on n.person_id = mb.person_id
     group by mb.household_id),
  -- the limits once per region and type, not once per household
  limits as materialized (
    select r.region, r.registration_type, exempt.id as exempt_id, estate.id as estate_id, months.id as months_id,
           standard.id as standard_id, btrim(exempt.value) as exempt_text,
           regexp_split_to_array(btrim(exempt.value), '\\s*[,，、]\\s*') as exempt_kinds,
           estate.value::numeric as real_estate_max, months.value::numeric as deposit_months, standard.value::numeric as standard
      from (select distinct coalesce(pl.region_code, $2::text) as region, pl.registration_type
              from assisted a left join place pl on pl.household_id = a.household_id) r
      cross join lateral weijiu_param('exempt_vehicle_kinds', r.region, $1::date) exempt
      cross join lateral weijiu_param('real_estate_max', r.region, $1::date) estate
      cross join lateral weijiu_param('deposit_months', r.region, $1::date) months
      -- an unknown type has no DB standard: the deposit clause is then not evaluated
      left join lateral weijiu_param(case r.registration_type when '城镇' then 'db_standard_urban'
                                                              when '农村' then 'db_standard_rural' end, r.region, $1::date) standard on true),
  figures as (
    select x.household_id, pl.hh_id, pl.registration_type, pl.source_record_id as place_source, s.members,
           s.household_id is not null and l.region is not null as measured,
           l.exempt_id, l.estate_id, l.months_id, l.standard_id, l.exempt_text, l.real_estate_max, l.deposit_months, l.standard,
           l.deposit_months * l.standard as deposit_limit_per_member,
           s.financial_assets, s.properties, s.businesses,
           array(select k from unnest(s.vehicle_kinds) k where not k = any(l.exempt_kinds) order by k) as vehicles
      from assisted x
      left join place pl on pl.household_id = x.household_id
      left join assets s on s.household_id = x.household_id
      left join limits l on l.region = coalesce(pl.region_code, $2::text) and l.registration_type is not distinct from pl.registration_type),
  held as (
    select f.*,
           f.measured and cardinality(f.vehicles) > 0 as vehicle_held,
           f.measured and f.businesses >= 1 as business_held,
           f.measured and f.properties > f.real_estate_max as estate_held,
           -- compared multiplied out: exact, no rounding of the per-member share
           f.measured and coalesce(f.financial_assets > f.deposit_limit_per_member * f.members, false) as deposit_held
      from figures f)
  select h.*, t.triggers, cardinality(t.triggers) > 0 or $3::bigint[] is not null as shown
    from held h
   cross join lateral (
     select array_remove(array[case when h.vehicle_held then 'VEHICLE' end, case when h.business_held then 'BUSINESS' end,
                               case when h.estate_held then 'REAL_ESTATE' end, case when h.deposit_held then 'DEPOSIT' end], null) as triggers) t`;

/** `expression` for the households `shown`, else null */
const shown = (expression: string) => `case when a.shown then ${expression} end`;

const conditions: Condition[] = [
  {
    name: 'ASSISTED',
    text: '家庭在 d 日享受低保、特困供养或低保边缘（DB、TK 或 DSR 正在发放）',
    facts: ['benefit', 'household'],
    sql: `select ${conditionColumns({
      subject: 'a.household_id',
      holds: 'true',
      values: `jsonb_build_object('hhId', a.hh_id, 'hjxz', a.registration_type)`,
      evidence: shown(`coalesce(${assistance('a.household_id', `jsonb_agg(${benefitEvidence})`)}, '[]'::jsonb)
                       || case when a.place_source is null then '[]'::jsonb
                               else jsonb_build_array(${evidenceOf('a.place_source', `jsonb_build_object('household', a.hh_id, 'hjxz', a.registration_type)`)}) end`),
      said: shown(`'家庭 ' || $1::date || ' 享受' || ${assistance('a.household_id', `string_agg(${PROGRAMME_ZH} || '（' || coalesce(b.valid_from::text || ' 起', '未记开始日')
                     || '，每月 ' || coalesce(${yuan('b.amount')}, '—') || ' 元）', '、' order by b.programme_code, b.valid_from)`)}`),
    })}
      from assessed a
     union all
    -- in a scoped run or an explanation, the households in scope without it, with what they had: to say why not
    select ${conditionColumns({
      subject: 'h.id',
      holds: 'false',
      evidence: `coalesce(jsonb_agg(${benefitEvidence} order by b.source_record_id) filter (where b.id is not null), '[]'::jsonb)`,
      said: `'家庭 ' || $1::date || ' 没有正在发放的低保、特困供养或低保边缘'
             || coalesce('（曾享受' || string_agg(${PROGRAMME_ZH} || ' ' || coalesce(b.valid_from::text, '未记开始日') || ' 至 ' || coalesce(b.valid_to::text, '未记结束日'), '、'
                                                 order by b.programme_code, b.valid_from) || '）', '')`,
    })}
      from unnest($3::bigint[]) as h(id)
      left join lateral (select b.* from benefit b
                          where b.household_id = h.id and b.retired_at is null and b.programme_code in ('DB', 'TK', 'DSR') offset 0) b on true
     where $3::bigint[] is not null and h.id not in (select household_id from assisted)
     group by h.id`,
  },
  {
    name: 'LISTED_MEMBERS_CHECKED',
    text: '以户籍登记列明的全部成员（含已故成员）计，每人每类每项取 d 日或之前最新一次经济状况核对结果',
    parameters: ['exempt_vehicle_kinds', 'real_estate_max', 'deposit_months', 'db_standard_urban', 'db_standard_rural'],
    facts: ['membership', 'economic_fact', 'parameter'],
    sql: `select ${conditionColumns({
      subject: 'a.household_id',
      holds: 'a.measured',
      values: shown(`jsonb_build_object('triggers', to_jsonb(a.triggers), 'members', a.members,
                 'financialAssets', a.financial_assets::text, 'depositLimitPerMember', a.deposit_limit_per_member::text,
                 'properties', a.properties::text, 'realEstateMax', a.real_estate_max::text,
                 'vehicles', to_jsonb(a.vehicles), 'businesses', a.businesses::text)`),
      // the members and their newest facts, looked up by index
      evidence: shown(`coalesce((select jsonb_agg(${evidenceOf('m.source_record_id', `jsonb_build_object('household', m.record_key, 'member', p.id_number)`)})
                               from weijiu_household_member() m join person p on p.id = m.person_id where m.household_id = a.household_id), '[]'::jsonb)
                   || coalesce((select jsonb_agg(${evidenceOf('f.source_record_id', `jsonb_build_object(
                                 'person', p.id_number, 'source', f.source, 'item', f.item, 'value', f.value::text, 'unit', f.unit, 'asOf', f.as_of)`)})
                                  from (select distinct m.person_id from weijiu_household_member() m where m.household_id = a.household_id) mp
                                  join person p on p.id = mp.person_id
                                  cross join lateral (
                                    select distinct on (x.source, x.item) x.* from economic_fact x
                                     where x.person_id = mp.person_id and x.retired_at is null and x.as_of <= $1::date
                                       and x.source in ('VEHICLE', 'BUSINESS', 'REAL_ESTATE', 'BANK', 'INSURANCE')
                                     order by x.source, x.item, x.as_of desc) f), '[]'::jsonb)`),
      parameters: shown(`jsonb_build_array(a.exempt_id, a.estate_id, a.months_id)
                     || case when a.standard_id is null then '[]'::jsonb else jsonb_build_array(a.standard_id) end`),
      said: `case when a.members is null then '户籍登记没有列明成员'
                  when not a.measured then '缺少本地区的核对参数（豁免车型、房产上限或存款月数）'
                  else '户籍登记成员 ' || a.members || ' 人；按最新核对：非豁免车辆 ' || coalesce(nullif(array_to_string(a.vehicles, '、'), ''), '无')
                       || '，工商登记 ' || ${count('a.businesses')} || ' 户，房产 ' || ${count('a.properties')} || ' 套，存款及商业保险合计 '
                       || ${yuan('a.financial_assets')} || ' 元' end`,
    })}
      from assessed a`,
  },
  {
    name: 'NON_EXEMPT_VEHICLE',
    text: '家庭成员名下有不在豁免车型（exempt_vehicle_kinds）之列的车辆',
    clause: 'VEHICLE',
    parameters: ['exempt_vehicle_kinds'],
    facts: ['economic_fact', 'parameter'],
    sql: `select ${conditionColumns({
      subject: 'a.household_id',
      holds: 'a.vehicle_held',
      values: shown(`jsonb_build_object('vehicles', to_jsonb(a.vehicles))`),
      parameters: shown('jsonb_build_array(a.exempt_id)'),
      said: `case when a.vehicle_held then '名下有非豁免车辆：' || array_to_string(a.vehicles, '、')
                  else '没有豁免车型（' || coalesce(a.exempt_text, '未设') || '）以外的车辆' end`,
    })} from assessed a`,
  },
  {
    name: 'BUSINESS_REGISTERED',
    text: '家庭成员有工商登记（1 户及以上）',
    clause: 'BUSINESS',
    facts: ['economic_fact'],
    sql: `select ${conditionColumns({
      subject: 'a.household_id',
      holds: 'a.business_held',
      values: shown(`jsonb_build_object('businesses', a.businesses::text)`),
      said: `case when a.business_held then '有工商登记 ' || ${count('a.businesses')} || ' 户（1 户及以上即不符）' else '没有工商登记' end`,
    })} from assessed a`,
  },
  {
    name: 'REAL_ESTATE_OVER_MAX',
    text: '家庭成员房产合计超过上限（real_estate_max）',
    clause: 'REAL_ESTATE',
    parameters: ['real_estate_max'],
    facts: ['economic_fact', 'parameter'],
    sql: `select ${conditionColumns({
      subject: 'a.household_id',
      holds: 'a.estate_held',
      values: shown(`jsonb_build_object('properties', a.properties::text, 'realEstateMax', a.real_estate_max::text)`),
      parameters: shown('jsonb_build_array(a.estate_id)'),
      said: `'家庭房产合计 ' || coalesce(${count('a.properties')}, '0') || ' 套，' || case when a.estate_held then '超过' else '未超过' end
             || '上限 ' || coalesce(${count('a.real_estate_max')}, '（未设）') || ' 套'`,
    })} from assessed a`,
  },
  {
    name: 'DEPOSITS_OVER_LIMIT',
    text: '家庭存款及商业保险合计按人均超过 deposit_months 个月的当地低保标准（按户籍性质城镇或农村）',
    clause: 'DEPOSIT',
    parameters: ['deposit_months', 'db_standard_urban', 'db_standard_rural'],
    facts: ['economic_fact', 'household', 'parameter'],
    sql: `select ${conditionColumns({
      subject: 'a.household_id',
      holds: 'a.deposit_held',
      values: shown(`jsonb_build_object('financialAssets', a.financial_assets::text, 'members', a.members, 'hjxz', a.registration_type,
                 'depositLimitPerMember', a.deposit_limit_per_member::text)`),
      parameters: shown(`jsonb_build_array(a.months_id) || case when a.standard_id is null then '[]'::jsonb else jsonb_build_array(a.standard_id) end`),
      said: `case when a.standard is null then '户籍性质不明（' || coalesce(a.registration_type, '未记') || '）或未设低保标准，没有可比的标准'
                  when not a.measured then '没有列明的成员可计'
                  else '存款及商业保险合计 ' || ${yuan('a.financial_assets')} || ' 元，' || a.members || ' 人，人均 '
                       || ${yuan('round(a.financial_assets / a.members, 2)')} || ' 元，' || case when a.deposit_held then '超过' else '未超过' end
                       || ' ' || ${count('a.deposit_months')} || ' 个月' || a.registration_type || '低保标准 '
                       || ${yuan('a.deposit_limit_per_member')} || ' 元' end`,
    })} from assessed a`,
  },
];

export const D4: RuleDefinition = {
  code: 'D4',
  version: '1',
  title: 'Assets above the assistance limits',
  titleZh: '家庭经济状况不符',
  kind: 'DUAL_BENEFIT',
  subjectType: 'household',
  legalReference: `${SEED_POLICY} 二(三)2 家庭经济状况核对`,
  parameters: ['exempt_vehicle_kinds', 'real_estate_max', 'deposit_months', 'db_standard_urban', 'db_standard_rural'],
  shared: { assisted, assessed },
  conditions,
};
