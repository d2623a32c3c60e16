import type { Pool } from 'pg';
import { checkDigit } from '../../identity';
import { createScreening, type ProposedRow } from './screenings';

/**
 * The two proposed lists `npm start` shows (an education grant list and a temporary-aid list of
 * 环翠区), each planted with a row for the reasons the graph it runs on can show: a clean person,
 * a deceased one, one already aided this year, one with a business, one living elsewhere, a name
 * spelled differently, a row repeated, a wrong check digit and a number nobody knows.
 */
export async function loadDemoScreenings(pool: Pool, city: string, asOf: string): Promise<string[]> {
  const year = Number(asOf.slice(0, 4));
  const county = `${city}02`;
  const pick = async (where: string, params: unknown[] = []) =>
    (
      await pool.query<{ idNumber: string; name: string }>(
        `select p.id_number as "idNumber", p.name from person p where ${where} order by p.id limit 1`,
        params,
      )
    ).rows[0] ?? null;
  const inCounty = `p.region_code like '${county}%'`;
  const clean = await pick(`${inCounty} and not exists (select 1 from benefit b where b.person_id = p.id) and not exists (select 1 from death_record d where d.person_id = p.id)`);
  const dead = await pick(`exists (select 1 from death_record d where d.person_id = p.id and d.died_on <= $1::date)`, [asOf]);
  const business = await pick(`exists (select 1 from economic_fact f where f.person_id = p.id and f.source = 'BUSINESS' and f.value >= 1)`);
  const elsewhere = await pick(`p.region_code is not null and p.region_code not like '${county}%'`);
  const aided = (programme: string) =>
    pick(`exists (select 1 from weijiu_person_benefit(array[p.id]) b where b.programme_code = $1 and b.period_start between make_date($2, 1, 1) and $3::date)`, [
      programme, year, asOf,
    ]);
  const unknownId = `${county}19990909${'9'.repeat(2)}1`;
  const rows = (sameKind: { idNumber: string; name: string } | null): ProposedRow[] =>
    ([
      clean && { idNumber: clean.idNumber, name: clean.name, amount: '1000.00', note: 'PASS' },
      dead && { idNumber: dead.idNumber, name: dead.name, amount: '1000.00', note: 'DECEASED' },
      sameKind && { idNumber: sameKind.idNumber, name: sameKind.name, amount: '1000.00', note: 'SAME_KIND_THIS_YEAR' },
      business && { idNumber: business.idNumber, name: business.name, amount: '1000.00', note: 'ASSETS' },
      elsewhere && { idNumber: elsewhere.idNumber, name: elsewhere.name, amount: '1000.00', note: 'OUTSIDE_REGION' },
      clean && { idNumber: clean.idNumber, name: `${clean.name}某`, amount: '1000.00', note: 'NAME_MISMATCH, DUPLICATE_ROW' },
      clean && { idNumber: clean.idNumber.slice(0, 17) + (clean.idNumber[17] === '1' ? '2' : '1'), name: clean.name, note: 'BAD_ID' },
      { idNumber: unknownId + checkDigit(unknownId), name: '新申请人', amount: '800.00', note: 'NOT_KNOWN' },
    ] as Array<ProposedRow | null>).filter((r): r is ProposedRow => !!r);
  const office = { role: 'OFFICE', regionPrefix: city, department: null, label: 'demo (npm start)', tokenId: null };
  const opts = { today: asOf, city, maxRows: 10_000 };
  const grant = await createScreening(pool, office, { programme: 'JY_GRANT', year, regionCode: county, title: `${year}年国家助学金拟资助名单（演示）`, asOf, rows: rows(await aided('JY_GRANT')) }, opts);
  const temporary = await createScreening(pool, office, { programme: 'LS', year, regionCode: county, title: `${year}年临时救助拟救助名单（演示）`, asOf, rows: rows(await aided('LS')) }, opts);
  return [grant.id, temporary.id];
}
