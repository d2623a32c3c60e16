/**
 * `personsAggregate` as one statement: the people of the viewer's scope that match `where`, with
 * their region and household on asOf from the concepts' set-based definitions, counted per group
 * of keys (api.md *Analysts*). A person counts in every category and programme they hold, so
 * those groups overlap; a group with nobody in it is no row.
 */
import { PersonGroupKey } from '../types/Aggregate';
import { Bound } from './comparisons';
import { personWhereSql, type PersonWhere } from './PersonWhere';

export interface GroupRow {
  /** k0, k1, …: the key values in the order of groupBy; n0, n1, …: their names */
  [column: string]: string | number | null;
}

const REGION_LENGTH = { REGION_COUNTY: 6, REGION_TOWN: 9, REGION_VILLAGE: 12 } as const;

/** A region key: the code's first digits at that level, null for a code known only above it. */
export function regionKey(level: keyof typeof REGION_LENGTH, code: string): string {
  const n = REGION_LENGTH[level];
  return `case when length(${code}) >= ${n} then left(${code}, ${n}) end`;
}

export function regionName(value: string): string {
  return `(select r.name from region r where r.code = ${value})`;
}

/** The Chinese names of the nine categories (as the coverage export's columns). */
const CATEGORY_NAMES: Readonly<Record<string, string>> = {
  DIBAO: '低保', TEKUN: '特困', TEMPORARY: '临时救助', DISABLED: '残疾人', CHILD_IN_DIFFICULTY: '困境儿童',
  LEFT_BEHIND: '三留守', REGISTERED_POOR: '建档立卡贫困', LOW_INCOME: '低收入家庭', VAGRANT: '流浪乞讨',
};

/** A key's value expression over the rows, and its name as an expression of the grouped value `g`. */
export interface KeyColumns {
  value: string;
  name(g: string): string;
}

/** Groups of one statement: keys computed and counted inside, named outside. */
export function groupedSql(rows: string, keys: KeyColumns[], measures: string[]): string {
  const values = keys.map((k, i) => `${k.value} as k${i}`);
  const names = keys.map((k, i) => `${k.name(`g.k${i}`)} as n${i}`);
  const positions = keys.map((_, i) => `${i + 1}`);
  return `
    select g.*${names.length ? `, ${names.join(', ')}` : ''} from (
      select ${[...values, ...measures].join(', ')}
        ${rows}
       ${positions.length ? `group by ${positions.join(', ')}` : ''}) g
     ${positions.length ? `order by ${keys.map((_, i) => `g.k${i}`).join(', ')}` : ''}`;
}

const AGE_BAND = `case when extract(year from age(AS_OF, x.birth_date)) < 6 then '0-5'
  when extract(year from age(AS_OF, x.birth_date)) < 18 then '6-17'
  when extract(year from age(AS_OF, x.birth_date)) < 60 then '18-59'
  when extract(year from age(AS_OF, x.birth_date)) < 80 then '60-79' else '80+' end`;

export function personsAggregateSql(opts: {
  where: PersonWhere | null | undefined;
  groupBy: PersonGroupKey[];
  asOf: string;
  city: string;
  params: unknown[];
  /** the viewer's scope as a predicate on the column it is given */
  scope: (column: string) => string;
}): string {
  const bound = new Bound(opts.params);
  const asOf = bound.bind(opts.asOf, 'date');
  const scope = opts.scope('pr.region_code');
  const where = personWhereSql(opts.where, { day: opts.asOf, city: opts.city, bound, region: 'pr.region_code' });
  const joins: string[] = [];
  const keys: KeyColumns[] = opts.groupBy.map((key): KeyColumns => {
    switch (key) {
      case PersonGroupKey.REGION_COUNTY:
      case PersonGroupKey.REGION_TOWN:
      case PersonGroupKey.REGION_VILLAGE:
        return { value: regionKey(key, 'x.region_code'), name: regionName };
      case PersonGroupKey.CATEGORY:
        joins.push(`join weijiu_categories(${asOf}, ${bound.bind(opts.city, 'text')}) cat on cat.person_id = x.id`);
        return {
          value: 'cat.category',
          name: (g) => `(${bound.bind(CATEGORY_NAMES, 'jsonb')} ->> ${g})`,
        };
      case PersonGroupKey.SEX:
        return { value: 'x.sex::text', name: (g) => `case ${g} when 'M' then '男' when 'F' then '女' end` };
      case PersonGroupKey.AGE_BAND:
        return { value: AGE_BAND.replaceAll('AS_OF', asOf), name: () => 'null::text' };
      case PersonGroupKey.PROGRAMME:
        // every programme active on asOf: their own benefits, and their households' (as PersonWhere.programme)
        joins.push(`join (
          select b.person_id, b.programme_code from benefit b
           where b.retired_at is null and b.person_id is not null and weijiu_active(b.valid_from, b.valid_to, ${asOf})
          union
          select m.person_id, b.programme_code from benefit b
            join membership m on m.household_id = b.household_id and m.retired_at is null and m.valid_to is null
           where b.retired_at is null and b.person_id is null and weijiu_active(b.valid_from, b.valid_to, ${asOf})) prog on prog.person_id = x.id`);
        return { value: 'prog.programme_code', name: (g) => `(select pg.name from programme pg where pg.code = ${g})` };
      case PersonGroupKey.DISABILITY_GRADE:
        joins.push(`left join (
          select dc.person_id, min(dc.grade)::text as grade from disability_certificate dc
           where dc.retired_at is null and dc.status = 'VALID' and dc.valid_from <= ${asOf} and (dc.valid_to is null or dc.valid_to >= ${asOf})
           group by dc.person_id) dis on dis.person_id = x.id`);
        return { value: 'dis.grade', name: (g) => `${g} || '级'` };
      case PersonGroupKey.HOUSEHOLD_TYPE:
        joins.push('left join weijiu_household_region() hh on hh.household_id = x.household_id');
        return { value: 'hh.registration_type', name: (g) => g };
    }
  });
  return `
    with x as (
      select p.id, p.sex, p.birth_date, pr.region_code::text as region_code, pr.household_id
        from weijiu_person_region(${asOf}) pr
        join person p on p.id = pr.person_id
       where ${scope} and ${where})
    ${groupedSql(`from x ${joins.join('\n')}`, keys, ['count(distinct x.id)::int as n'])}`;
}
