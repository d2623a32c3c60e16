/**
 * The graph as a canonical JSON, to tell whether two databases hold the same graph: persons,
 * households (by their head's ID number), the current facts of every fact table with their
 * business columns and record keys, and the quarantined records — without surrogate ids,
 * timestamps or source-record ids, which differ between two runs that agree on everything else.
 */
import pg from 'pg';
import { factTables } from '../../../src/ingest/factTables';
import type { FactTableName } from '../../../src/ingest/types';

// a type, not an interface: a dump is a Comparable
export type GraphDump = {
  persons: Array<{ id_number: string; name: string; sex: string; birth_date: string }>;
  /** head ID numbers */
  households: string[];
  /** per table, its current (not retired) facts, each as a canonical JSON line */
  facts: Record<string, string[]>;
  /** (connector, record_key, reason) of each quarantined record, as JSON lines */
  quarantined: string[];
};

const TABLES = Object.keys(factTables) as FactTableName[];

function factQuery(table: FactTableName): string {
  const spec = factTables[table];
  const columns = [
    'f.feed', 'f.record_key', 'f.item_key', 'f.valid_from::text as valid_from', 'f.valid_to::text as valid_to',
    ...(spec.person ? ['(select p.id_number from person p where p.id = f.person_id) as person'] : []),
    ...(spec.household
      ? ['(select p.id_number from household h join person p on p.id = h.head_person_id where h.id = f.household_id) as household']
      : []),
    // numeric and jsonb come back as strings and objects with a fixed key order; dates as text
    ...spec.columns.map(([c, type]) => (type === 'date' ? `f.${c}::text as ${c}` : `f.${c}`)),
  ];
  return `select ${columns.join(', ')} from ${table} f where f.retired_at is null`;
}

export async function dumpGraph(databaseUrl: string): Promise<GraphDump> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const persons = await client.query(
      `select id_number, name, sex, birth_date::text as birth_date from person order by id_number`,
    );
    const households = await client.query(
      `select p.id_number from household h join person p on p.id = h.head_person_id order by 1`,
    );
    const facts: Record<string, string[]> = {};
    for (const table of TABLES) {
      const { rows } = await client.query(factQuery(table));
      facts[table] = rows.map((r) => JSON.stringify(r)).sort();
    }
    const quarantined = await client.query(`select connector, record_key, reason from quarantined_record`);
    return {
      persons: persons.rows,
      households: households.rows.map((r) => r.id_number),
      facts,
      quarantined: quarantined.rows.map((r) => JSON.stringify(r)).sort(),
    };
  } finally {
    await client.end();
  }
}

/** The part of a graph the given feeds state: their facts and quarantined records (persons and households are shared). */
export function partOf(dump: GraphDump, feeds: readonly string[]): Pick<GraphDump, 'facts' | 'quarantined'> {
  const ofFeed = (line: string, key: 'feed' | 'connector') => feeds.includes(JSON.parse(line)[key]);
  return {
    facts: Object.fromEntries(Object.entries(dump.facts).map(([t, rows]) => [t, rows.filter((r) => ofFeed(r, 'feed'))])),
    quarantined: dump.quarantined.filter((q) => ofFeed(q, 'connector')),
  };
}

/** Two graphs (or views of them) to compare: sections of lines, or of objects, or groups of such sections (`facts`). */
export type Comparable = { [section: string]: unknown[] | Record<string, unknown[]> };

/**
 * What one dump holds that the other does not, as readable lines (`- ` missing from `actual`,
 * `+ ` only in `actual`), at most `limit` of them: an empty list means the same graph.
 */
export function dumpDifferences(actual: Comparable, expected: Comparable, limit = 30): string[] {
  const out: string[] = [];
  const text = (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x));
  const compare = (section: string, a: unknown[], e: unknown[]) => {
    const count = new Map<string, number>();
    for (const x of e.map(text)) count.set(x, (count.get(x) ?? 0) + 1);
    const extra: string[] = [];
    for (const x of a.map(text)) {
      const n = count.get(x) ?? 0;
      if (n > 0) count.set(x, n - 1);
      else extra.push(x);
    }
    for (const [x, n] of count) for (let i = 0; i < n; i++) out.push(`- ${section} ${x}`);
    for (const x of extra) out.push(`+ ${section} ${x}`);
  };
  for (const s of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
    const a = actual[s];
    const e = expected[s];
    if (Array.isArray(a) || Array.isArray(e)) {
      compare(s, (a as unknown[]) ?? [], (e as unknown[]) ?? []);
    } else {
      const groups = new Set([...Object.keys(a ?? {}), ...Object.keys(e ?? {})]);
      for (const g of groups) compare(`${s}.${g}`, a?.[g] ?? [], e?.[g] ?? []);
    }
  }
  return out.length > limit ? [...out.slice(0, limit), `… and ${out.length - limit} more`] : out;
}
