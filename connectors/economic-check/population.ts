import type { Pool } from 'pg';

/**
 * The nightly population of the economic check, as of a day d (Asia/Shanghai): every current
 * member of a household with DB, TK or DSR active on d, and every other person in a cash
 * programme active on d — "active" and "member" as rules.md has them, from the database's own
 * definitions (weijiu_active, weijiu_household_member), on the current (not retired) benefit
 * rows. A ZF_RENT subsidy stated for a household only counts for its applicant, the head.
 */
export const HOUSEHOLD_PROGRAMMES = ['DB', 'TK', 'DSR'] as const;
/** 特困, 孤儿, 事实无人抚养儿童, 两项补贴, 租赁补贴 — the person-level cash programmes */
export const PERSON_CASH_PROGRAMMES = ['TK', 'GE', 'SW', 'CJ_LIVING', 'CJ_NURSING', 'ZF_RENT'] as const;

export interface PopulationMember {
  /** the graph's person id: the order of the run, and where a cut-off run resumes */
  personId: string;
  idNumber: string;
}

const POPULATION_SQL = `
  with active as (
    select b.programme_code, b.person_id, b.household_id
      from benefit b
     where b.retired_at is null and weijiu_active(b.valid_from, b.valid_to, $1::date)),
  people as (
    select m.person_id
      from weijiu_household_member() m
     where m.household_id in (select household_id from active where programme_code = any($2::text[]) and household_id is not null)
    union
    select coalesce(a.person_id, h.head_person_id)
      from active a left join household h on h.id = a.household_id
     where a.programme_code = any($3::text[]))
  select p.id::text as "personId", p.id_number as "idNumber"
    from people join person p on p.id = people.person_id
   order by p.id`;

export async function population(pool: Pool, asOf: string): Promise<PopulationMember[]> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new RangeError(`population: asOf must be YYYY-MM-DD, not ${asOf}`);
  const { rows } = await pool.query<PopulationMember>(POPULATION_SQL, [asOf, HOUSEHOLD_PROGRAMMES, PERSON_CASH_PROGRAMMES]);
  return rows;
}
