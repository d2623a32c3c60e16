import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople } from '../engine/scopedFacts';

/**
 * G7 CENTRALISED_CARE_GAP 全失能特困人员未集中供养 — a person named in a TK enrollment active on d
 * whose 供养方式 (`gyfs`) is 分散 (home support) while their 自理能力 (`zlnl`, the self-care of
 * their membership in that TK household) is 全失能. A gap is about a living person: nobody
 * deceased on d is one.
 */
export const G7: RuleDefinition = {
  code: 'G7',
  version: '1',
  title: 'Fully dependent TK person in home support',
  titleZh: '全失能特困人员未集中供养',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化; 一(四) 非自理集中特困供养率`,
  parameters: [],
  sql: `
    select b.person_id::text as subject_id, null::text as item, '{}'::text[] as clauses,
           min(b.valid_from) as period_start, null::date as period_end,
           jsonb_agg(jsonb_build_object('source_record_id', b.source_record_id, 'values',
               jsonb_build_object('programme', 'TK', 'hh_id', b.record_key, 'start', b.valid_from, 'end', b.valid_to,
                                  'gyfs', b.support_mode)))
             || jsonb_agg(jsonb_build_object('source_record_id', m.source_record_id, 'values',
               jsonb_build_object('hh_id', m.record_key, 'zlnl', m.self_care))) as evidence,
           jsonb_build_object('hh_id', min(b.record_key), 'gyfs', '分散', 'zlnl', '全失能') as detail,
           '[]'::jsonb as parameters
      -- (a scoped run: the enrollments of the people in scope, by index)
      from ${factsOfPeople('benefit', `f.programme_code = 'TK' and weijiu_active(f.valid_from, f.valid_to, $1::date)`)} b
      -- the self-care the TK household's record states for this person
      join membership m on m.feed = b.feed and m.record_key = b.record_key and m.person_id = b.person_id and m.retired_at is null
     where b.support_mode = '分散' and m.self_care = '全失能'
       and not exists (select 1 from death_record dr
                        where dr.person_id = b.person_id and dr.retired_at is null and dr.died_on <= $1::date)
     group by b.person_id`,
};
