import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { ALIVE } from '../engine/alive';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople } from '../engine/scopedFacts';

/**
 * G7 CENTRALISED_CARE_GAP 全失能特困人员未集中供养 — a person named in a TK enrollment active on d
 * whose 供养方式 (`gyfs`) is 分散 (home support) while their 自理能力 (`zlnl`, the self-care of
 * their membership in that TK household) is 全失能. A gap is about a living person: nobody
 * deceased on d is one.
 */

/**
 * The TK enrollments active on d naming the people in scope (a scoped run: by index), each with the
 * self-care its household's record states for that person; `home`: whether any of the person's is 分散.
 */
const tekun = `
  select b.person_id, b.record_key, b.valid_from, b.valid_to, b.support_mode, b.source_record_id,
         m.self_care, m.source_record_id as membership_record_id,
         bool_or(b.support_mode = '分散') over (partition by b.person_id) as home
    from ${factsOfPeople('benefit', `f.programme_code = 'TK' and weijiu_active(f.valid_from, f.valid_to, $1::date)`)} b
    -- by index (membership_versions), one enrollment at a time: a few hundred in a city, a handful in a scoped run
    left join lateral (
      select m.self_care, m.source_record_id from membership m
       where m.feed = b.feed and m.record_key = b.record_key and m.person_id = b.person_id and m.retired_at is null offset 0) m on true`;

/** an enrollment as evidence: the same values whichever condition names it, so the finding lists it once */
const enrollmentEvidence = `${evidenceOf('t.source_record_id', `jsonb_build_object('programme', 'TK', 'hh_id', t.record_key, 'start', t.valid_from, 'end', t.valid_to, 'gyfs', t.support_mode)`)}`;

/** the self-care of the enrollments that decide: the 分散 ones where there is one (rules.md: the same enrollment is 分散 and 全失能) */
const deciding = `t.support_mode = '分散' or not t.home`;
const fullyDependent = `t.self_care = '全失能' and t.support_mode = '分散'`;

const conditions: Condition[] = [
  {
    name: 'TEKUN_ACTIVE',
    text: '是特困供养人员（d 日有正在执行的特困供养，且供养名单列有本人）',
    facts: ['benefit'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'count(t.person_id) > 0',
      values: `jsonb_build_object('tkSince', min(t.valid_from))`,
      evidence: `jsonb_agg(${enrollmentEvidence}) filter (where t.person_id is not null)`,
      said: `case when count(t.person_id) > 0 then '自 ' || coalesce(min(t.valid_from)::text, '（未记开始日）') || ' 起享受特困供养（' || min(t.record_key) || '）'
                  else $1::date || ' 没有列有本人的特困供养' end`,
    })}
      from ${subjects} s left join tekun t on t.person_id = s.subject_id::bigint
     group by s.subject_id, s.item`,
  },
  {
    name: 'HOME_SUPPORT',
    text: '供养方式为分散供养',
    facts: ['benefit'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: `bool_or(t.support_mode = '分散')`,
      values: `jsonb_build_object('gyfs', case when bool_or(t.support_mode = '分散') then '分散' else min(t.support_mode) end)`,
      evidence: `jsonb_agg(${enrollmentEvidence}) filter (where t.support_mode = '分散' or not t.home)`,
      said: `'供养方式：' || case when bool_or(t.support_mode = '分散') then '分散供养' else coalesce(min(t.support_mode) || '供养', '未填') end`,
    })}
      from ${subjects} s join tekun t on t.person_id = s.subject_id::bigint
     group by s.subject_id, s.item`,
  },
  {
    name: 'FULLY_DEPENDENT',
    text: '在其分散供养的特困户中，自理能力为全失能',
    facts: ['benefit', 'membership'],
    // the one that selects: the few 全失能 people in home support are the candidates
    sql: `select ${conditionColumns({
      subject: 't.person_id',
      holds: `coalesce(bool_or(${fullyDependent}), false)`,
      values: `case when bool_or(${fullyDependent})
                    then jsonb_build_object('zlnl', '全失能', 'hh_id', min(t.record_key) filter (where ${fullyDependent}),
                                            'tkSince', min(t.valid_from) filter (where ${fullyDependent}))
                    else jsonb_build_object('zlnl', min(t.self_care)) end`,
      evidence: `jsonb_agg(${evidenceOf('t.membership_record_id', `jsonb_build_object('hh_id', t.record_key, 'zlnl', t.self_care)`)})
                   filter (where t.membership_record_id is not null and (${fullyDependent} or not t.home))`,
      said: `'自理能力：' || coalesce(case when bool_or(${fullyDependent}) then '全失能' else min(t.self_care) end, '户籍记录未载明')
             || case when bool_or(t.home) then '' else '（非分散供养）' end`,
    })}
      from tekun t where ${deciding}
     group by t.person_id`,
  },
  ALIVE,
];

export const G7: RuleDefinition = {
  code: 'G7',
  version: '1',
  title: 'Fully dependent TK person in home support',
  titleZh: '全失能特困人员未集中供养',
  kind: 'GAP',
  subjectType: 'person',
  legalReference: `${SEED_POLICY} 一(二) 救助对象精准化; 一(四) 非自理集中特困供养率`,
  parameters: [],
  shared: { tekun },
  conditions,
  // since the first enrollment that is 分散 and 全失能 started
  period: { start: `(detail->>'tkSince')::date`, end: 'null' },
};
