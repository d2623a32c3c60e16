import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople } from '../engine/scopedFacts';

/**
 * D2 EXCLUSIVE_OVERLAP 冲突救助 — the same person covered on some day on or before d by both
 * programmes of an exclusive pair: DB (as a member of the household) and TK; GE and SW; ZF_FLAT
 * and ZF_RENT (as applicant). One finding per person and pair, with the overlap period.
 */
export const D2: RuleDefinition = {
  code: 'D2',
  version: '1',
  title: 'Exclusive programmes overlap',
  titleZh: '互斥救助项目重叠',
  kind: 'DUAL_BENEFIT',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 三(二) 切实避免重复救助`,
  parameters: [],
  sql: `
    with covered as (
      -- DB covers the members of its household (weijiu_member_benefit; a scoped run: of the people in scope)
      select mb.person_id, 'DB' as programme, mb.valid_from, mb.valid_to, mb.source_record_id, mb.amount
        from weijiu_member_benefit('{DB}', $4::bigint[]) mb
      union all
      select b.person_id, b.programme_code, b.valid_from, b.valid_to, b.source_record_id, b.amount
        from ${factsOfPeople('benefit', `f.person_id is not null and f.programme_code in ('TK', 'GE', 'SW', 'ZF_FLAT', 'ZF_RENT')`)} b),
    pair(a, b) as (values ('DB', 'TK'), ('GE', 'SW'), ('ZF_FLAT', 'ZF_RENT')),
    overlapping as (
      select x.person_id, pair.a || '+' || pair.b as pair, x.source_record_id as a_src, y.source_record_id as b_src,
             greatest(x.valid_from, y.valid_from) as s,
             least(coalesce(x.valid_to, 'infinity'::date), coalesce(y.valid_to, 'infinity'::date)) as e,
             x.programme as a_programme, x.valid_from as a_from, x.valid_to as a_to, x.amount as a_amount,
             y.programme as b_programme, y.valid_from as b_from, y.valid_to as b_to, y.amount as b_amount
        from pair
        join covered x on x.programme = pair.a
        join covered y on y.programme = pair.b and y.person_id = x.person_id)
    select person_id::text as subject_id, pair as item, '{}'::text[] as clauses,
           min(s) as period_start, nullif(max(e), 'infinity'::date) as period_end,
           jsonb_agg(jsonb_build_object('source_record_id', a_src, 'values',
                       jsonb_build_object('programme', a_programme, 'start', a_from, 'end', a_to, 'amount', a_amount::text)))
             || jsonb_agg(jsonb_build_object('source_record_id', b_src, 'values',
                       jsonb_build_object('programme', b_programme, 'start', b_from, 'end', b_to, 'amount', b_amount::text))) as evidence,
           jsonb_build_object('pair', pair, 'overlapStart', min(s), 'overlapEnd', nullif(max(e), 'infinity'::date)) as detail,
           '[]'::jsonb as parameters
      from overlapping
     where s <= e and s <= $1::date
     group by person_id, pair`,
};
