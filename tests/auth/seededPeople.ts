/**
 * People of one's own for load and audit tests: distinct, with ID numbers whose check character
 * is right, all in 环翠区 (371002), inserted straight into `person` (no feed needed to look them up).
 */
import type { Pool } from 'pg';
import { checkDigit } from '../../src/identity';

export async function seedPeople(pool: Pool, n: number): Promise<Array<{ id: string; idNumber: string }>> {
  const idNumbers = Array.from({ length: n }, (_, i) => {
    const born = new Date(Date.UTC(1950, 0, 1) + i * 86_400_000 * 7).toISOString().slice(0, 10).replaceAll('-', '');
    const first17 = `371002${born}${String(100 + (i % 900)).padStart(3, '0')}`;
    return first17 + checkDigit(first17);
  });
  const { rows } = await pool.query<{ id: string; idNumber: string }>(
    `insert into person (id_number, name, sex, birth_date, region_code)
     select n, '测试' || i, case when i % 2 = 0 then 'F' else 'M' end, to_date(substr(n, 7, 8), 'YYYYMMDD'), '371002'
       from unnest($1::text[]) with ordinality as t(n, i)
     order by i
     returning id::text, id_number as "idNumber"`,
    [idNumbers],
  );
  return rows;
}
