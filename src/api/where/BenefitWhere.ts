/**
 * `BenefitWhere` (api.md *Analysts*): a boolean expression over what a Benefit shows, translated
 * to one SQL predicate on the row `b` of `benefit` (current rows only: the caller's statement
 * keeps `b.retired_at is null`).
 */
import { Field, InputType } from 'type-graphql';
import { DateScalar } from '../scalars';
import { Bound, combined, compared, DateComparison, DecimalComparison, StringComparison, type Connectives } from './comparisons';

/**
 * A benefit's region: its own record's, else its household's (weijiu_household_region, looked up
 * by key as the concepts' migration advises), else its person's newest record's.
 */
export const BENEFIT_REGION = `coalesce(b.region_code,
  (select hr.region_code from weijiu_household_region() hr where hr.household_id = b.household_id offset 0),
  (select bp.region_code from person bp where bp.id = b.person_id))::text`;

@InputType('BenefitWhere', { description: 'A boolean expression over benefits (api.md, Analysts).' })
export class BenefitWhere implements Connectives<BenefitWhere> {
  @Field(() => [BenefitWhere], { nullable: true }) _and?: BenefitWhere[] | null;
  @Field(() => [BenefitWhere], { nullable: true }) _or?: BenefitWhere[] | null;
  @Field(() => BenefitWhere, { nullable: true }) _not?: BenefitWhere | null;

  @Field(() => StringComparison, { nullable: true, description: 'its region (its record’s, else its household’s, else its person’s); `_prefix` for a county or town' })
  regionCode?: StringComparison | null;

  @Field(() => StringComparison, { nullable: true, description: 'programme code (`programmes`)' }) programme?: StringComparison | null;
  @Field(() => DecimalComparison, { nullable: true, description: 'the recorded amount (monthly for monthly programmes)' }) amount?: DecimalComparison | null;
  @Field(() => DateComparison, { nullable: true }) periodStart?: DateComparison | null;
  @Field(() => DateComparison, { nullable: true, description: 'null: open-ended' }) periodEnd?: DateComparison | null;
  @Field(() => DateComparison, { nullable: true, description: 'payment day of a one-off grant' }) paidOn?: DateComparison | null;
  @Field(() => DateScalar, { nullable: true, description: 'active on this day (its period covers it)' }) activeOn?: string | null;
}

export function benefitWhereSql(where: BenefitWhere | null | undefined, bound: Bound): string {
  return combined(
    where,
    (w) => [
      compared(BENEFIT_REGION, w.regionCode, 'text', bound, 'where.regionCode'),
      compared('b.programme_code', w.programme, 'text', bound, 'where.programme'),
      compared('b.amount', w.amount, 'numeric', bound, 'where.amount'),
      compared('b.valid_from', w.periodStart, 'date', bound, 'where.periodStart'),
      compared('b.valid_to', w.periodEnd, 'date', bound, 'where.periodEnd'),
      compared('b.paid_on', w.paidOn, 'date', bound, 'where.paidOn'),
      w.activeOn ? `weijiu_active(b.valid_from, b.valid_to, ${bound.bind(w.activeOn, 'date')})` : 'true',
    ],
    'where',
  );
}
