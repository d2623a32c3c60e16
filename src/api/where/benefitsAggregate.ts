/**
 * `benefitsAggregate` as one statement (api.md *Analysts*): the benefits of the viewer's scope
 * that match `where`, each turned into the payments it made within from–to, counted and summed per
 * group of keys. What "paid" means:
 * - a monthly cash programme (the catalogue's `cash` ones: DB, TK, GE, SW, CJ_LIVING, CJ_NURSING,
 *   ZF_RENT) pays its recorded monthly amount for each calendar month it is active on at least
 *   one day of;
 * - DSR and ZF_FLAT carry no money: they are counted in each month they are active, with no amount;
 * - a one-off (LS grant, a settlement's YLJZ, a WF subsidy) pays its amount on its date (the
 *   payment day, else its period's start, else the day its record was delivered — a WF ledger
 *   gives no date of its own); a term aid (JY_*) on its term's first day (1 September for 学期 1,
 *   1 March for 学期 2, as the education connector dates a term);
 * - a deleted grant has no benefit row at all (the feed's deletion ends it), so it paid nothing.
 */
import { BenefitGroupKey } from '../types/Aggregate';
import { Bound } from './comparisons';
import { BENEFIT_REGION, benefitWhereSql, type BenefitWhere } from './BenefitWhere';
import { groupedSql, regionKey, regionName, type KeyColumns } from './personsAggregate';

/** Programmes with a period but no money. */
const NO_MONEY = ['DSR', 'ZF_FLAT'];

export function benefitsAggregateSql(opts: {
  where: BenefitWhere | null | undefined;
  groupBy: BenefitGroupKey[];
  from: string | null;
  to: string;
  params: unknown[];
  scope: (column: string) => string;
}): string {
  const bound = new Bound(opts.params);
  const from = bound.bind(opts.from, 'date');
  const to = bound.bind(opts.to, 'date');
  const noMoney = bound.bind(NO_MONEY, 'text[]');
  const where = benefitWhereSql(opts.where, bound);
  const keys: KeyColumns[] = opts.groupBy.map((key): KeyColumns => {
    switch (key) {
      case BenefitGroupKey.REGION_COUNTY:
      case BenefitGroupKey.REGION_TOWN:
      case BenefitGroupKey.REGION_VILLAGE:
        return { value: regionKey(key, 'pd.region_code'), name: regionName };
      case BenefitGroupKey.PROGRAMME:
        return { value: 'pd.programme_code', name: (g) => `(select pg.name from programme pg where pg.code = ${g})` };
      case BenefitGroupKey.MONTH:
        return { value: `to_char(pd.day, 'YYYY-MM')`, name: () => 'null::text' };
      case BenefitGroupKey.YEAR:
        return { value: `to_char(pd.day, 'YYYY')`, name: () => 'null::text' };
    }
  });
  // greatest/least ignore a null: without `from` a period counts from its own start
  const months = `generate_series(date_trunc('month', greatest(c.valid_from, ${from})),
                                  date_trunc('month', least(c.valid_to, ${to})), interval '1 month')`;
  return `
    with c as (
      select b.id, b.programme_code, b.person_id, b.household_id, b.amount, b.valid_from, b.valid_to, pg.cash,
             case when b.programme_code like 'JY\\_%'
                  then case split_part(b.details->>'term', '_', 2) when '1' then make_date(left(b.details->>'term', 4)::int, 9, 1)
                                                                  else make_date(substr(b.details->>'term', 6, 4)::int, 3, 1) end
                  else coalesce(b.paid_on, b.valid_from,
                                (select (sr.version_at at time zone 'Asia/Shanghai')::date from source_record sr where sr.id = b.source_record_id))
             end as on_day,
             ${BENEFIT_REGION} as region_code
        from benefit b
        join programme pg on pg.code = b.programme_code
       where b.retired_at is null and ${where}),
    scoped as (select * from c where ${opts.scope('c.region_code')}),
    pd as (
      select c.id, c.programme_code, c.person_id, c.household_id, c.region_code, m.month::date as day,
             case when c.cash then c.amount end as money
        from scoped c cross join lateral ${months} m(month)
       where (c.cash or c.programme_code = any(${noMoney})) and c.valid_from is not null
      union all
      select c.id, c.programme_code, c.person_id, c.household_id, c.region_code, c.on_day, c.amount
        from scoped c
       where not c.cash and c.programme_code <> all(${noMoney})
         and c.on_day <= ${to} and (${from} is null or c.on_day >= ${from})),
    -- whom a benefit is for: its person, else its household's members; one of them leads, so
    -- that the money of a payment counts once however many people it was for
    who as (
      select w.id, w.person_id, row_number() over (partition by w.id order by w.person_id) = 1 as lead
        from (select distinct c.id, coalesce(c.person_id, m.person_id) as person_id
                from scoped c
                left join membership m on c.person_id is null and m.household_id = c.household_id and m.retired_at is null and m.valid_to is null) w)
    ${groupedSql('from pd join who w on w.id = pd.id', keys, [
      'count(distinct pd.id)::int as n',
      'count(distinct w.person_id)::int as persons',
      'sum(pd.money) filter (where w.lead)::numeric(16,2)::text as sum',
      'round(sum(pd.money) filter (where w.lead) / count(distinct pd.id), 2)::text as avg',
    ])}`;
}
