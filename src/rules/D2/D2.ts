import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople } from '../engine/scopedFacts';

/**
 * D2 EXCLUSIVE_OVERLAP 冲突救助 — the same person covered on some day on or before d by both
 * programmes of an exclusive pair: DB (as a member of the household) and TK; GE and SW; ZF_FLAT
 * and ZF_RENT (as applicant). One finding per person and pair, with the overlap period.
 */

/** The periods of the paired programmes that cover each person in scope. */
const covered = `
    -- DB covers the members of its household (weijiu_member_benefit; a scoped run: of the people in scope)
    select mb.person_id, 'DB' as programme, mb.valid_from, mb.valid_to, mb.source_record_id, mb.amount
      from weijiu_member_benefit('{DB}', $4::bigint[]) mb
    union all
    select b.person_id, b.programme_code, b.valid_from, b.valid_to, b.source_record_id, b.amount
      from ${factsOfPeople('benefit', `f.person_id is not null and f.programme_code in ('TK', 'GE', 'SW', 'ZF_FLAT', 'ZF_RENT')`)} b`;

/**
 * Every period of a pair's first programme against every period of its second, for one person:
 * the common days from s to e (none where s > e; e infinite while both are open).
 */
const pairing = `
    select x.person_id, pair.a || '+' || pair.b as pair,
           greatest(x.valid_from, y.valid_from) as s,
           least(coalesce(x.valid_to, 'infinity'::date), coalesce(y.valid_to, 'infinity'::date)) as e,
           ${evidenceOf('x.source_record_id', `jsonb_build_object('programme', x.programme, 'start', x.valid_from, 'end', x.valid_to, 'amount', x.amount::text)`)} as a_evidence,
           ${evidenceOf('y.source_record_id', `jsonb_build_object('programme', y.programme, 'start', y.valid_from, 'end', y.valid_to, 'amount', y.amount::text)`)} as b_evidence,
           pa.name || '（' || coalesce(x.valid_from::text, '未记开始日') || coalesce(' 至 ' || x.valid_to, ' 起') || '）' as a_said,
           pb.name || '（' || coalesce(y.valid_from::text, '未记开始日') || coalesce(' 至 ' || y.valid_to, ' 起') || '）' as b_said
      from (values ('DB', 'TK'), ('GE', 'SW'), ('ZF_FLAT', 'ZF_RENT')) as pair(a, b)
      join covered x on x.programme = pair.a
      join covered y on y.programme = pair.b and y.person_id = x.person_id
      join programme pa on pa.code = pair.a
      join programme pb on pb.code = pair.b`;

/** The pairs of periods that share a day on or before d. */
const common = `p.s <= p.e and p.s <= $1::date`;

const conditions: Condition[] = [
  {
    name: 'HOLDS_BOTH_OF_PAIR',
    text: '同一人享受一对互斥项目中的两项：低保（作为家庭成员）与特困供养，孤儿基本生活费与事实无人抚养儿童基本生活补贴，或公租房实物配租与租赁补贴（作为申请人）',
    facts: ['membership', 'benefit'],
    sql: `select ${conditionColumns({
      subject: 'p.person_id',
      item: 'p.pair',
      holds: 'true',
      values: `jsonb_build_object('pair', p.pair)`,
      said: `'享受' || string_agg(distinct p.a_said, '、') || '，又享受' || string_agg(distinct p.b_said, '、')`,
    })} from pairing p group by p.person_id, p.pair`,
  },
  {
    name: 'SAME_DAY_ON_OR_BEFORE_D',
    text: '两项在 d 日或之前至少有一天同时有效（起止日均含当日）',
    facts: ['membership', 'benefit'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: `bool_or(${common})`,
      values: `jsonb_build_object('overlapStart', min(p.s) filter (where ${common}),
                                  'overlapEnd', nullif(max(p.e) filter (where ${common}), 'infinity'::date))`,
      // the periods that overlap by d; where none does, every period of the two, to show why
      evidence: `case when bool_or(${common})
                      then jsonb_agg(p.a_evidence) filter (where ${common}) || jsonb_agg(p.b_evidence) filter (where ${common})
                      else jsonb_agg(p.a_evidence) || jsonb_agg(p.b_evidence) end`,
      said: `case when bool_or(${common})
                  then '两项自 ' || min(p.s) filter (where ${common}) || ' 起同时有效'
                       || coalesce('，至 ' || nullif(max(p.e) filter (where ${common}), 'infinity'::date) || ' 止', '，至今未止')
                  when bool_or(p.s <= p.e) then '两项自 ' || min(p.s) filter (where p.s <= p.e) || ' 起才同时有效，晚于 d 日 ' || $1::date
                  else '两项没有一天同时有效' end`,
    })}
      from ${subjects} s
      join pairing p on p.person_id = s.subject_id::bigint and p.pair = s.item
     group by s.subject_id, s.item`,
  },
];

export const D2: RuleDefinition = {
  code: 'D2',
  version: '1',
  title: 'Exclusive programmes overlap',
  titleZh: '互斥救助项目重叠',
  kind: 'DUAL_BENEFIT',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 三(二) 切实避免重复救助`,
  parameters: [],
  shared: { covered, pairing },
  conditions,
  period: { start: `(detail->>'overlapStart')::date`, end: `(detail->>'overlapEnd')::date` },
  item: { text: '互斥的一对项目（DB+TK、GE+SW 或 ZF_FLAT+ZF_RENT）' },
};
