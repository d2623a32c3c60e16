import { conditionColumns, evidenceOf, type Condition } from '../engine/condition';
import { SEED_POLICY, type RuleDefinition } from '../engine/ruleDefinition';
import { factsOfPeople } from '../engine/scopedFacts';

/**
 * The nine recipient categories (9类救助对象, rules.md) as named conditions, so that explain can say
 * why a person is — or is not — DIBAO, TEKUN … on d. Each category's conditions are the pieces
 * weijiu_categories (Migration20261206000012CategoryOnDay) is built from, read through the same
 * SQL: weijiu_member_benefit for the household-level DB and DSR, weijiu_active for "active on d",
 * weijiu_param('recent_window_days') with its default of 365 for the recent window, and the same
 * tables and filters for the rest. A category's later condition is judged over the records that
 * pass its earlier ones (an in-force VALID certificate, not any certificate in force), so that the
 * conditions all hold exactly where weijiu_categories lists the person (a test keeps them equal).
 *
 * Every condition is a function of the subjects (person ids) over relations of the people in
 * scope ($4, which traceRule sets to the person's closure), and answers for every subject, so a
 * category that does not hold says what was missing. A category opens no findings: it is not in
 * the rule catalogue, and nothing enumerates its subjects (a run could not compose it).
 */
export type Category =
  | 'DIBAO' | 'TEKUN' | 'TEMPORARY' | 'DISABLED' | 'CHILD_IN_DIFFICULTY' | 'LEFT_BEHIND' | 'REGISTERED_POOR' | 'LOW_INCOME' | 'VAGRANT';

export const CATEGORIES: readonly Category[] = [
  'DIBAO', 'TEKUN', 'TEMPORARY', 'DISABLED', 'CHILD_IN_DIFFICULTY', 'LEFT_BEHIND', 'REGISTERED_POOR', 'LOW_INCOME', 'VAGRANT',
];

/**
 * The records a category reads, one row per record of the people in scope:
 * `person_id, source_record_id, ref (the record's key), valid_from, valid_to, on_day (a single
 * date: a payment or a registration), label (what it is, in Chinese), facts (jsonb)`.
 */
type Rows = string;

const person = 's.subject_id::bigint';

/** The subjects with their rows, left-joined, one group per subject. */
const perSubject = (subjects: string, rows: string, where = 'true') =>
  `from ${subjects} s left join ${rows} r on r.person_id = ${person} and (${where}) group by s.subject_id, s.item`;

const evidenceOfRows = (where = 'true') =>
  `jsonb_agg(${evidenceOf('r.source_record_id', 'r.facts')} order by r.source_record_id) filter (where r.person_id is not null and (${where}))`;

const period = `coalesce(r.valid_from::text, '（未记开始日）') || ' 至 ' || coalesce(r.valid_to::text, '今')`;

/** Has at least one record of the kind. */
function hasRecord(o: { name: string; text: string; facts: string[]; rows: Rows; missing: string; found: string }): Condition {
  return {
    name: o.name,
    text: o.text,
    facts: o.facts,
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'count(r.person_id) > 0',
      values: `jsonb_build_object('records', count(r.person_id))`,
      evidence: evidenceOfRows(),
      said: `case when count(r.person_id) = 0 then ${o.missing}
                  else ${o.found} || '：' || string_agg(r.label || coalesce('（' || coalesce(r.valid_from, r.on_day) || '）', ''), '；' order by coalesce(r.valid_from, r.on_day), r.ref) end`,
    })} ${perSubject(subjects, o.rows)}`,
  };
}

/** One of its records (of those `where` admits) is active on d: weijiu_active, as weijiu_categories. */
function activeOnDay(o: { name: string; text: string; facts: string[]; rows: Rows; where?: string; missing: string }): Condition {
  const where = o.where ?? 'true';
  return {
    name: o.name,
    text: o.text,
    facts: o.facts,
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      // the empty row of a person with no record is no active record
      holds: `coalesce(bool_or(weijiu_active(r.valid_from, r.valid_to, $1::date)) filter (where r.person_id is not null and ${where}), false)`,
      values: `jsonb_build_object('asOf', $1::date, 'periods', coalesce(jsonb_agg(jsonb_build_object('record', r.ref, 'from', r.valid_from, 'to', r.valid_to,
                 'activeOnDay', weijiu_active(r.valid_from, r.valid_to, $1::date))
               order by r.valid_from, r.ref) filter (where r.person_id is not null and ${where}), '[]'::jsonb))`,
      evidence: evidenceOfRows(where),
      said: `coalesce(string_agg(r.label || ' ' || ${period} || case
                 when weijiu_active(r.valid_from, r.valid_to, $1::date) then '，' || $1::date || ' 有效'
                 when r.valid_to < $1::date then '，已于 ' || r.valid_to || ' 结束（早于 ' || $1::date || '）'
                 else '，' || r.valid_from || ' 才开始（晚于 ' || $1::date || '）' end,
               '；' order by r.valid_from, r.ref) filter (where r.person_id is not null and ${where}), ${o.missing})`,
    })} ${perSubject(subjects, o.rows)}`,
  };
}

/** weijiu_categories' recent window: recent_window_days (365 where none is set) ending on d. */
const WINDOW_DAYS = `coalesce((select value::int from weijiu_param('recent_window_days', $2::text, $1::date)), 365)`;
const WINDOW_START = `($1::date - (${WINDOW_DAYS} - 1))`;

/** One of its records falls on a day of the recent window (an LS payment, an LLQT registration). */
function inRecentWindow(o: { name: string; text: string; facts: string[]; rows: Rows; happened: string; missing: string }): Condition {
  const inWindow = `r.on_day between ${WINDOW_START} and $1::date`;
  return {
    name: o.name,
    text: o.text,
    parameters: ['recent_window_days'],
    facts: [...o.facts, 'parameter'],
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: `coalesce(bool_or(${inWindow}), false)`,
      values: `jsonb_build_object('windowFrom', ${WINDOW_START}, 'windowTo', $1::date, 'windowDays', ${WINDOW_DAYS},
                 'days', coalesce(jsonb_agg(r.on_day order by r.on_day) filter (where r.person_id is not null), '[]'::jsonb))`,
      evidence: evidenceOfRows(),
      parameters: `coalesce((select jsonb_agg(w.id) from weijiu_param('recent_window_days', $2::text, $1::date) w), '[]'::jsonb)`,
      said: `'近 ' || ${WINDOW_DAYS} || ' 天（' || ${WINDOW_START} || ' 至 ' || $1::date || '）：'
             || coalesce(string_agg(r.label || ' ' || coalesce(r.on_day::text, '（未记日期）') || ${o.happened} || case
                   when ${inWindow} then '，在此期间'
                   when r.on_day < ${WINDOW_START} then '，早于此期间'
                   when r.on_day > $1::date then '，晚于 ' || $1::date
                   else '，日期未知' end,
                 '；' order by r.on_day, r.ref) filter (where r.person_id is not null), ${o.missing})`,
    })} ${perSubject(subjects, o.rows)}`,
  };
}

const benefitRows = (programmes: string[], label: string) => `(
      select b.person_id, b.source_record_id, b.record_key as ref, b.valid_from, b.valid_to, b.paid_on as on_day,
             ${label} as label,
             jsonb_build_object('programme', b.programme_code, 'from', b.valid_from, 'to', b.valid_to, 'paidOn', b.paid_on) as facts
        from ${factsOfPeople('benefit', `f.programme_code in (${programmes.map((p) => `'${p}'`).join(', ')})`)} b)`;

const registrationRows = (categories: string[], label: string) => `(
      select g.person_id, g.source_record_id, g.record_key as ref, g.valid_from, g.valid_to, g.valid_from as on_day,
             ${label} as label,
             jsonb_build_object('category', g.category, 'from', g.valid_from, 'to', g.valid_to) as facts
        from ${factsOfPeople('registration', `f.category in (${categories.map((c) => `'${c}'`).join(', ')})`)} g)`;

/** weijiu_member_benefit: a household-level programme (DB, DSR) of a household whose newest record lists the person. */
const memberBenefitRows = (programme: 'DB' | 'DSR', label: string) => `(
      select mb.person_id, mb.source_record_id, mb.hh_id as ref, mb.valid_from, mb.valid_to, null::date as on_day,
             ${label} as label,
             jsonb_build_object('programme', mb.programme_code, 'hh_id', mb.hh_id, 'from', mb.valid_from, 'to', mb.valid_to) as facts
        from weijiu_member_benefit('{${programme}}', $4::bigint[]) mb)`;

const programmeLabel = { DB: `'低保'`, DSR: `'低收入家庭认定'`, TK: `'特困供养'`, LS: `'临时救助'` } as const;

function householdProgramme(programme: 'DB' | 'DSR', zh: string): Condition[] {
  const rows = memberBenefitRows(programme, programmeLabel[programme]);
  return [
    hasRecord({
      name: `${programme}_HOUSEHOLD_MEMBER`,
      text: `列在有${zh}（${programme}）的家庭的最新一版民政家庭记录中`,
      facts: ['membership', 'benefit'],
      rows,
      missing: `'不是有${zh}（${programme}）的家庭的成员'`,
      found: `'是有${zh}的家庭的成员'`,
    }),
    activeOnDay({
      name: `${programme}_ACTIVE`,
      text: `该家庭的${zh} d 日有效（开始日不晚于 d，结束日不早于 d）`,
      facts: ['benefit'],
      rows,
      missing: `'没有${zh}记录'`,
    }),
  ];
}

const certificateRows = `(
      select c.person_id, c.source_record_id, c.certificate_no as ref, c.valid_from, c.valid_to, null::date as on_day,
             '残疾人证（' || c.grade || ' 级，状态 ' || c.status || '）' as label, c.status,
             jsonb_build_object('grade', c.grade, 'category', c.category, 'status', c.status, 'issued', c.valid_from, 'validUntil', c.valid_to) as facts
        from ${factsOfPeople('disability_certificate')} c)`;

const conditionsOf: Record<Category, () => Condition[]> = {
  DIBAO: () => householdProgramme('DB', '低保'),
  LOW_INCOME: () => householdProgramme('DSR', '低收入家庭认定'),
  TEKUN: () => {
    const rows = benefitRows(['TK'], programmeLabel.TK);
    return [
      hasRecord({
        name: 'TK_ENROLLMENT',
        text: '名列特困供养（TK）登记',
        facts: ['benefit'],
        rows,
        missing: `'没有名列任何特困供养（TK）登记'`,
        found: `'名列特困供养登记'`,
      }),
      activeOnDay({ name: 'TK_ACTIVE', text: '特困供养 d 日有效（开始日不晚于 d，结束日不早于 d）', facts: ['benefit'], rows, missing: `'没有特困供养记录'` }),
    ];
  },
  TEMPORARY: () => {
    const rows = benefitRows(['LS'], programmeLabel.LS);
    return [
      hasRecord({ name: 'LS_GRANT', text: '领取过临时救助（LS）', facts: ['benefit'], rows, missing: `'没有领取过临时救助'`, found: `'领取过临时救助'` }),
      inRecentWindow({
        name: 'LS_PAID_RECENTLY',
        text: '临时救助在近期（d 及之前 recent_window_days 天内）发放',
        facts: ['benefit'],
        rows,
        happened: `' 发放'`,
        missing: `'没有临时救助发放记录'`,
      }),
    ];
  },
  DISABLED: () => [
    hasRecord({ name: 'DISABILITY_CERTIFICATE', text: '持有残疾人证（残联）', facts: ['disability_certificate'], rows: certificateRows, missing: `'没有残疾人证'`, found: `'有残疾人证'` }),
    {
      name: 'CERTIFICATE_VALID',
      text: '残疾人证状态为有效（VALID）',
      facts: ['disability_certificate'],
      sql: (subjects) => `select ${conditionColumns({
        subject: 's.subject_id',
        item: 's.item',
        holds: `coalesce(bool_or(r.status = 'VALID'), false)`,
        values: `jsonb_build_object('statuses', coalesce(jsonb_agg(r.status order by r.source_record_id) filter (where r.person_id is not null), '[]'::jsonb))`,
        evidence: evidenceOfRows(),
        said: `coalesce(string_agg(r.label || '，有效期至 ' || coalesce(r.valid_to::text, '长期'), '；' order by r.valid_from, r.ref), '没有残疾人证')`,
      })} ${perSubject(subjects, certificateRows)}`,
    },
    activeOnDay({
      name: 'CERTIFICATE_IN_FORCE',
      text: '状态有效的残疾人证在 d 日的有效期内（发证日不晚于 d，有效期至不早于 d）',
      facts: ['disability_certificate'],
      rows: certificateRows,
      // the same test as weijiu_categories: issued on or before d (a certificate always has its issue date)
      where: `r.status = 'VALID' and r.valid_from is not null`,
      missing: `'没有状态为有效的残疾人证'`,
    }),
  ],
  CHILD_IN_DIFFICULTY: () => [
    {
      name: 'UNDER_18',
      text: 'd 日未满 18 周岁',
      facts: ['person'],
      sql: (subjects) => `select ${conditionColumns({
        subject: 's.subject_id',
        item: 's.item',
        holds: `(p.birth_date + interval '18 years')::date > $1::date`,
        values: `jsonb_build_object('birthDate', p.birth_date, 'turns18On', (p.birth_date + interval '18 years')::date)`,
        said: `case when p.birth_date is null then '出生日期未知'
                    when (p.birth_date + interval '18 years')::date > $1::date
                      then p.birth_date || ' 出生，' || $1::date || ' 时 ' || extract(year from age($1::date, p.birth_date)) || ' 周岁'
                    else p.birth_date || ' 出生，' || (p.birth_date + interval '18 years')::date || ' 已满 18 周岁' end`,
      })} from ${subjects} s join person p on p.id = ${person}`,
    },
    activeOnDay({
      name: 'CHILD_ASSISTANCE_ACTIVE',
      text: '孤儿基本生活费（GE）或事实无人抚养儿童生活补贴（SW）d 日在发放，或困境儿童（KJET）登记 d 日有效',
      facts: ['benefit', 'registration'],
      rows: `(select * from ${benefitRows(['GE', 'SW'], `case b.programme_code when 'GE' then '孤儿基本生活费' else '事实无人抚养儿童生活补贴' end`)} x
              union all
              select * from ${registrationRows(['KJET'], `'困境儿童登记'`)} y)`,
      missing: `'没有孤儿、事实无人抚养儿童补贴或困境儿童登记'`,
    }),
  ],
  LEFT_BEHIND: () => {
    const rows = registrationRows(['LSLR', 'LSFN', 'LSET'], `case g.category when 'LSLR' then '留守老人登记' when 'LSFN' then '留守妇女登记' else '留守儿童登记' end`);
    return [
      hasRecord({
        name: 'LEFT_BEHIND_REGISTRATION',
        text: '有留守老人、留守妇女或留守儿童（LSLR、LSFN、LSET）登记',
        facts: ['registration'],
        rows,
        missing: `'没有“三留守”登记'`,
        found: `'有“三留守”登记'`,
      }),
      activeOnDay({ name: 'REGISTRATION_ACTIVE', text: '该登记 d 日有效（登记日不晚于 d，注销日不早于 d）', facts: ['registration'], rows, missing: `'没有“三留守”登记'` }),
    ];
  },
  REGISTERED_POOR: () => [
    {
      name: 'IN_NEWEST_POVERTY_LIST',
      text: '名列扶贫部门最新一期建档立卡名单',
      facts: ['poverty_record'],
      sql: (subjects) => `select ${conditionColumns({
        subject: 's.subject_id',
        item: 's.item',
        holds: 'count(r.person_id) filter (where r.valid_to is null) > 0',
        values: `jsonb_build_object('snapshots', coalesce(jsonb_agg(r.snapshot_date order by r.snapshot_date) filter (where r.person_id is not null), '[]'::jsonb),
                   'leftListOn', max(r.valid_to))`,
        evidence: `jsonb_agg(${evidenceOf('r.source_record_id', `jsonb_build_object('householdNo', r.household_no, 'status', r.poverty_status, 'snapshot', r.snapshot_date)`)})
                     filter (where r.person_id is not null and r.valid_to is null)`,
        said: `case when count(r.person_id) filter (where r.valid_to is null) > 0
                      then '名列最新一期建档立卡名单（' || coalesce(max(r.snapshot_date) filter (where r.valid_to is null)::text, '日期未记') || '，'
                           || coalesce(max(r.poverty_status) filter (where r.valid_to is null), '状态未记') || '）'
                    when count(r.person_id) > 0 then '曾名列建档立卡名单，' || max(r.valid_to) || ' 之后的名单中已没有'
                    else '不在建档立卡名单中' end`,
      })} ${perSubject(subjects, `(select f.* from ${factsOfPeople('poverty_record')} f)`)}`,
    },
  ],
  VAGRANT: () => {
    const rows = registrationRows(['LLQT'], `'流浪乞讨人员登记'`);
    return [
      hasRecord({ name: 'VAGRANT_REGISTRATION', text: '有流浪乞讨人员（LLQT）登记', facts: ['registration'], rows, missing: `'没有流浪乞讨人员登记'`, found: `'有流浪乞讨人员登记'` }),
      inRecentWindow({
        name: 'REGISTERED_RECENTLY',
        text: '登记日在近期（d 及之前 recent_window_days 天内）',
        facts: ['registration'],
        rows,
        happened: `' 登记'`,
        missing: `'没有流浪乞讨人员登记'`,
      }),
    ];
  },
};

const titles: Record<Category, { title: string; titleZh: string }> = {
  DIBAO: { title: 'Minimum living allowance recipient', titleZh: '低保对象' },
  TEKUN: { title: 'Person in extreme poverty under support', titleZh: '特困供养对象' },
  TEMPORARY: { title: 'Temporary assistance recipient', titleZh: '临时救助对象' },
  DISABLED: { title: 'Person with a disability', titleZh: '残疾人' },
  CHILD_IN_DIFFICULTY: { title: 'Child in difficulty', titleZh: '困境儿童' },
  LEFT_BEHIND: { title: 'Left-behind person', titleZh: '"三留守"人员' },
  REGISTERED_POOR: { title: 'Registered poor', titleZh: '建档立卡贫困对象' },
  LOW_INCOME: { title: 'Low-income household member', titleZh: '低收入家庭' },
  VAGRANT: { title: 'Vagrant or beggar', titleZh: '流浪乞讨人员' },
};

/**
 * A category as a RuleDefinition that traceRule explains for one person as of d: its `holds` is
 * weijiu_categories' answer. Not a rule of the catalogue: it opens no findings.
 */
export function categoryRule(category: Category): RuleDefinition {
  const conditions = conditionsOf[category]();
  return {
    code: category,
    version: '1',
    ...titles[category],
    // the categories are the 救助对象 the gap rules read; no finding of its own
    kind: 'GAP',
    subjectType: 'person',
    legalReference: `${SEED_POLICY} 一(二) 救助对象精准化`,
    parameters: [...new Set(conditions.flatMap((c) => c.parameters ?? []))],
    conditions,
  };
}
