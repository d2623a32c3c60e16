import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { byRun, deceasedOn, dibaoTekunOf, factsOfHouseholds, householdRegions } from '../engine/scopedFacts';

/**
 * G6 DIBAO_FLOOR_GAP 脱贫户收入低于低保标准未兜底 — a household of the newest poverty-relief
 * snapshot whose 家庭年人均纯收入 is below `dibao_floor_months` × the monthly *rural* DB standard
 * (`db_standard_rural`) of its region on d, whatever its urban/rural type, and none of whose
 * members (listed in any of its records) is DIBAO or TEKUN on d (兜底保障). A household whose
 * members are all deceased on d is no gap.
 */

/**
 * The rows of the newest snapshot of the households in scope, each with its person's death on or
 * before d (weijiu_deceased, the earliest): a full run joins the city's deaths once, a scoped run
 * looks the few people up by index.
 */
const snapshotRows = `${factsOfHouseholds('poverty_record', 'f.valid_to is null and f.household_id is not null')} pr
    join household h on h.id = pr.household_id`;
const rowColumns = `pr.household_id, pr.person_id, pr.record_key, pr.source_record_id, pr.household_no, pr.relation_code,
         pr.income_per_capita, pr.region_code, pr.person_id = h.head_person_id as head, dead.died_on, dead.source_record_id as death_record_id`;
const povertyRow = byRun(
  `select ${rowColumns} from ${snapshotRows} left join lateral (${deceasedOn('pr.person_id')}) dead on true`,
  `select ${rowColumns} from ${snapshotRows}
     left join (select distinct on (dr.person_id) dr.person_id, dr.died_on, dr.source_record_id from death_record dr
                 where dr.retired_at is null and dr.died_on <= $1::date order by dr.person_id, dr.died_on) dead on dead.person_id = pr.person_id`,
);

/** per household: the figures are repeated on each member row, and the head's row speaks for it */
const povertyHousehold = `
  select r.household_id,
         (array_agg(r.household_no order by r.head desc, r.record_key))[1] as household_no,
         (array_agg(r.income_per_capita order by r.head desc, r.record_key))[1] as income,
         (array_agg(r.region_code order by r.head desc, r.record_key))[1] as region_code,
         count(*) as listed, count(r.died_on) as deceased, max(r.died_on) as last_death,
         jsonb_agg(${evidenceOf('r.death_record_id', `jsonb_build_object('diedOn', r.died_on)`)}) filter (where r.died_on is not null) as deaths
    from poverty_row r
   group by r.household_id`;

const yuan = (amount: string) => `to_char(${amount}, 'FM999,999,999,990.00')`;

/**
 * The households of the snapshot in scope with the floor of their region: the income is what
 * selects, so this condition enumerates, and the others are judged for the households under it.
 */
const underFloor = `
  with located as materialized (
    select p.household_id, p.income, coalesce(hr.region_code, p.region_code, $2::text) as region
      from poverty_household p
      left join ${householdRegions()} hr on hr.household_id = p.household_id),
  dibao_floor as materialized (
    -- once per region, not per household
    select r.region, months.id as months_id, months.value as months, standard.id as standard_id, standard.value as standard,
           months.value::numeric * standard.value::numeric as floor
      from (select distinct region from located) r
      cross join lateral weijiu_param('dibao_floor_months', r.region, $1::date) months
      cross join lateral weijiu_param('db_standard_rural', r.region, $1::date) standard)
  select ${conditionColumns({
    subject: 'l.household_id',
    holds: 'coalesce(l.income < f.floor, false)',
    values: `jsonb_build_object('income', l.income::text, 'floor', f.floor::text, 'months', f.months, 'ruralStandard', f.standard, 'region', l.region)`,
    parameters: 'jsonb_build_array(f.months_id, f.standard_id)',
    said: `coalesce('家庭年人均纯收入 ' || ${yuan('l.income')} || ' 元，' || case when l.income < f.floor then '低于' else '不低于' end,
                    '名单未载明家庭年人均纯收入，无从比较')
           || ' ' || f.months || ' 个月 × 农村低保标准 ' || ${yuan('f.standard::numeric')} || ' 元 = ' || ${yuan('f.floor')} || ' 元（' || $1::date || '）'`,
  })}
    from located l
    join dibao_floor f on f.region = l.region`;

const conditions: Condition[] = [
  {
    name: 'REGISTERED_POOR_HOUSEHOLD',
    text: '是最新一期脱贫户（防返贫监测）名单中的家庭，名单载明其家庭年人均纯收入',
    facts: ['poverty_record'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'p.income is not null',
      values: `jsonb_build_object('hbh', p.household_no, 'income', p.income::text)`,
      // the household's rows of the snapshot: its income, and who is listed (and alive)
      evidence: `jsonb_agg(${evidenceOf('r.source_record_id', `jsonb_build_object('household', r.household_no, 'relation', r.relation_code,
                   'income', r.income_per_capita::text, 'deceased', r.died_on is not null)`)})`,
      said: `'脱贫户 ' || p.household_no || '，' || coalesce('家庭年人均纯收入 ' || ${yuan('p.income')} || ' 元', '名单未载明家庭年人均纯收入')`,
    })}
      from ${subjects} s
      join poverty_household p on p.household_id = s.subject_id::bigint
      join poverty_row r on r.household_id = p.household_id
     group by s.subject_id, s.item, p.household_no, p.income`,
  },
  {
    name: 'UNDER_DIBAO_FLOOR',
    text: '家庭年人均纯收入低于所在地 dibao_floor_months 个月的农村低保标准（db_standard_rural，不论城乡）',
    parameters: ['dibao_floor_months', 'db_standard_rural'],
    facts: ['poverty_record', 'household_record'],
    sql: underFloor,
  },
  {
    name: 'NO_DIBAO_OR_TEKUN_MEMBER',
    text: '家庭成员中没有人 d 日是低保或特困人员（未兜底）',
    facts: ['membership', 'benefit'],
    holdsWhenSilent: true,
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'false',
      values: `jsonb_build_object('covered', jsonb_agg(distinct c.category))`,
      evidence: `jsonb_agg(distinct ${evidenceOf('c.source_record_id', `jsonb_build_object('category', c.category)`)})`,
      said: `'户内 ' || count(distinct c.person_id) || ' 人 ' || $1::date || ' 是'
             || string_agg(distinct case c.category when 'DIBAO' then '低保' else '特困' end, '、') || '对象，已兜底'`,
    })}
      from ${subjects} s
      join membership m on m.household_id = s.subject_id::bigint and m.retired_at is null and m.valid_to is null
      -- (a scoped run: the members of a household in scope are people in scope)
      join ${dibaoTekunOf()} c on c.person_id = m.person_id
     group by s.subject_id, s.item`,
  },
  {
    name: 'SOMEONE_ALIVE',
    text: '名单所列家庭成员至少一人 d 日在世',
    facts: ['poverty_record', 'death_record'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'p.deceased < p.listed',
      values: `jsonb_build_object('listed', p.listed, 'deceased', p.deceased)`,
      // the deaths only where they decide
      evidence: `case when p.deceased = p.listed then p.deaths end`,
      said: `case when p.deceased < p.listed then '名单所列 ' || p.listed || ' 人中 ' || (p.listed - p.deceased) || ' 人在世'
                  else '名单所列 ' || p.listed || ' 人均已死亡（最晚 ' || p.last_death || '）' end`,
    })}
      from ${subjects} s
      join poverty_household p on p.household_id = s.subject_id::bigint`,
  },
];

export const G6: RuleDefinition = {
  code: 'G6',
  version: '1',
  title: 'Registered-poor household under the DIBAO floor',
  titleZh: '脱贫户收入低于低保标准未兜底',
  kind: 'GAP',
  subjectType: 'household',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
  parameters: ['dibao_floor_months', 'db_standard_rural'],
  shared: { poverty_row: povertyRow, poverty_household: povertyHousehold },
  conditions,
};
