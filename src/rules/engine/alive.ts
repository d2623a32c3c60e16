import { conditionColumns, evidenceOf, type Condition } from './condition';

/**
 * 在世 ALIVE — the person is living on d: no valid death record dated on or before d (rules.md
 * "deceased", weijiu_deceased). One condition for every rule about a living person; a death
 * record is the reason it fails, and its evidence.
 */
export const ALIVE: Condition = {
  name: 'ALIVE',
  text: '在世（d 日及之前没有死亡记录）',
  facts: ['death_record'],
  holdsWhenSilent: true,
  sql: (subjects) => `select ${conditionColumns({
    subject: 's.subject_id',
    item: 's.item',
    holds: 'false',
    values: `jsonb_build_object('diedOn', min(dr.died_on))`,
    evidence: `jsonb_agg(${evidenceOf('dr.source_record_id', `jsonb_build_object('diedOn', dr.died_on)`)})`,
    said: `'已于 ' || min(dr.died_on) || ' 死亡'`,
  })}
    from ${subjects} s
    join death_record dr on dr.person_id = s.subject_id::bigint and dr.retired_at is null and dr.died_on <= $1::date
   group by s.subject_id, s.item`,
};
