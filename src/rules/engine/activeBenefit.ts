import { conditionColumns, evidenceOf, type Condition } from './condition';

/** A benefit row `b` of `person`, of `programme`, current and active on d (rules.md "active"). */
export function activeBenefit(b: string, person: string, programme: string): string {
  return `${b}.person_id = ${person} and ${b}.retired_at is null and ${b}.programme_code = '${programme}' and weijiu_active(${b}.valid_from, ${b}.valid_to, $1::date)`;
}

/**
 * 没有正在发放的… — the person receives no `programme` active on d: one condition for the rules
 * about a subsidy missing (G1 nursing, G2 living). A benefit that is active is the reason it
 * fails, and its evidence; `since` names the value its first day is shown under.
 */
export function noActiveBenefit(opts: { name: string; programme: string; label: string; since: string }): Condition {
  return {
    name: opts.name,
    text: `没有正在发放的${opts.label}（${opts.programme}，d 日有效）`,
    facts: ['benefit'],
    holdsWhenSilent: true,
    sql: (subjects) => `select ${conditionColumns({
      subject: 's.subject_id',
      item: 's.item',
      holds: 'false',
      values: `jsonb_build_object('${opts.since}', min(b.valid_from))`,
      evidence: `jsonb_agg(${evidenceOf('b.source_record_id', `jsonb_build_object('programme', b.programme_code, 'from', b.valid_from, 'to', b.valid_to)`)})`,
      said: `'${opts.label}自 ' || coalesce(min(b.valid_from)::text, '（未记开始日）') || ' 起正在发放' || coalesce('，至 ' || max(b.valid_to), '')`,
    })}
      from ${subjects} s
      join benefit b on ${activeBenefit('b', 's.subject_id::bigint', opts.programme)}
     group by s.subject_id, s.item`,
  };
}
