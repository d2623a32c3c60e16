/**
 * `FindingWhere` (api.md *Analysts*): a boolean expression over what a Finding shows, translated
 * to one SQL predicate on the row `f` of `finding`.
 */
import { Field, InputType } from 'type-graphql';
import { Bound, combined, compared, DateComparison, StringComparison, type Connectives } from './comparisons';

@InputType('FindingWhere', { description: 'A boolean expression over findings (api.md, Analysts).' })
export class FindingWhere implements Connectives<FindingWhere> {
  @Field(() => [FindingWhere], { nullable: true }) _and?: FindingWhere[] | null;
  @Field(() => [FindingWhere], { nullable: true }) _or?: FindingWhere[] | null;
  @Field(() => FindingWhere, { nullable: true }) _not?: FindingWhere | null;

  @Field(() => StringComparison, { nullable: true, description: 'D1 … D6, G1 … G9, R1 … R4' }) rule?: StringComparison | null;
  @Field(() => StringComparison, { nullable: true, description: 'DUAL_BENEFIT, GAP, COMPLIANCE' }) kind?: StringComparison | null;
  @Field(() => StringComparison, { nullable: true, description: 'OPEN, CONFIRMED, DISMISSED, EXCEPTION, CLEARED' }) status?: StringComparison | null;
  @Field(() => StringComparison, { nullable: true, description: 'the finding’s region; `_prefix` for a county or town' }) regionCode?: StringComparison | null;
  @Field(() => DateComparison, { nullable: true }) periodStart?: DateComparison | null;
  @Field(() => DateComparison, { nullable: true }) periodEnd?: DateComparison | null;
}

export function findingWhereSql(where: FindingWhere | null | undefined, bound: Bound): string {
  return combined(
    where,
    (w) => [
      compared('f.rule', w.rule, 'text', bound, 'where.rule'),
      compared('f.kind', w.kind, 'text', bound, 'where.kind'),
      compared('f.status', w.status, 'text', bound, 'where.status'),
      compared('f.region_code::text', w.regionCode, 'text', bound, 'where.regionCode'),
      compared('f.period_start', w.periodStart, 'date', bound, 'where.periodStart'),
      compared('f.period_end', w.periodEnd, 'date', bound, 'where.periodEnd'),
    ],
    'where',
  );
}
