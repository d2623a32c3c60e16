import type { Database } from '../../db/database';
import { entities, Person, RuleRun, SyncRun } from '../../graph/entities';
import { tablesReferencing } from '../../graph/entities/tablesReferencing';
import { applyBatch } from '../../ingest/applyBatch';
import type { Stream } from '../../ingest/connector';
import { loadRegionDirectory } from '../../ingest/syncRunner';
import type { Delivery } from '../../ingest/types';
import { connectors } from '../../../connectors';
import type { RuleDefinition } from '../engine/ruleDefinition';
import { runRules } from '../engine/runRules';

/**
 * Policy cases as data: a situation written in the feeds' own record shapes (the same JSON and
 * spreadsheet rows the registries send), loaded through the real connectors' mappers and the real
 * merge, then a rule evaluated as of a date. A case says which findings must (and must not) exist.
 */
export interface CaseFeeds {
  civilAffairs?: { households?: object[]; grants?: object[]; registries?: object[] };
  health?: { settlements?: object[]; deaths?: object[] };
  disability?: object[];
  economicCheck?: object[];
  /** rows of one term file: header → cell text */
  education?: { term: string; rows: Array<Record<string, string>> };
  housing?: { date: string; publicHousing?: Array<Record<string, string>>; dangerousHouses?: Array<Record<string, string>> };
  poverty?: { date: string; rows: Array<Record<string, string>> };
  regionStats?: { year: number; rows: Array<Record<string, string>> };
}

/**
 * A proposed list the office screened (office.md), as D6 reads it: its programme, year and region,
 * and per person the office's decisions on their row, oldest first (none: not evaluated).
 */
export interface CaseScreening {
  programme: string;
  year: number;
  regionCode: string;
  withdrawn?: boolean;
  rows: Array<{ idNumber: string; decisions?: Array<'APPROVE' | 'REJECT' | 'REFER'> }>;
}

export interface RuleCase {
  /** plain-language name of the situation */
  name: string;
  asOf: string;
  feeds: CaseFeeds;
  /** the office's screenings and decisions, loaded after the feeds */
  screenings?: CaseScreening[];
  /** finding identities (rule|subject_type|subject_key[|item]) that must be found */
  expect: string[];
  /** identities that must NOT be found (the near misses) */
  expectNot?: string[];
  /**
   * The condition that decides each near miss (a condition's name, or one per identity of
   * `expectNot`): explaining the identity must show it not holding (describeRuleCases).
   */
  decidedBy?: string | Record<string, string>;
}

/**
 * The deciding "condition" of a near miss whose subject does not exist — no registry lists a
 * household for that person, say: nothing can be evaluated for it, and that is the reason.
 */
export const NO_SUCH_SUBJECT = 'NO_SUCH_SUBJECT';

function streamOf(connector: string, stream: string): Stream {
  const s = connectors[connector]?.streams.find((x) => x.name === stream);
  if (!s) throw new Error(`no stream ${connector}/${stream}`);
  return s;
}

let runCounter = 0;

async function load(db: Database, connector: string, stream: string, records: unknown[], delivery?: Delivery & { file?: string }) {
  if (!records.length) return;
  const s = streamOf(connector, stream);
  const regions = await loadRegionDirectory(db);
  const { rows } = await db.pool.query<{ id: string }>(`insert into sync_run (connector, status) values ($1, 'SUCCEEDED') returning id`, [connector]);
  const raws = delivery ? records.map((cells) => ({ cells, delivery: { ...delivery, file: delivery.id } })) : records;
  const results = raws.map((raw) => s.map(raw, { regions, location: `case ${++runCounter}` }));
  const refused = results.filter((r) => !r.ok);
  if (refused.length) throw new Error(`case data refused by ${connector}/${stream}: ${JSON.stringify(refused.map((r) => !r.ok && r.quarantine))}`);
  await applyBatch(db.pool, { connector, stream, syncRunId: rows[0].id, factTables: s.factTables }, { results, bookmark: {}, delivery });
}

export async function loadCase(db: Database, feeds: CaseFeeds): Promise<void> {
  const ca = feeds.civilAffairs ?? {};
  await load(db, 'civil-affairs', 'households', ca.households ?? []);
  await load(db, 'civil-affairs', 'grants', ca.grants ?? []);
  await load(db, 'civil-affairs', 'registries', ca.registries ?? []);
  await load(db, 'health', 'settlements', feeds.health?.settlements ?? []);
  await load(db, 'health', 'deaths', feeds.health?.deaths ?? []);
  await load(db, 'disability', 'persons', feeds.disability ?? []);
  if (feeds.education) {
    await load(db, 'education', 'student-aid', feeds.education.rows, {
      id: `xszz_${feeds.education.term}.csv`, partition: feeds.education.term, endDate: null, last: true,
    });
  }
  if (feeds.housing) {
    const id = `zfbz_${feeds.housing.date.replaceAll('-', '')}.xlsx`;
    await load(db, 'housing', 'public-housing', feeds.housing.publicHousing ?? [], { id, partition: '', endDate: feeds.housing.date, last: true });
    await load(db, 'housing', 'dangerous-houses', feeds.housing.dangerousHouses ?? [], { id, partition: '', endDate: feeds.housing.date, last: true });
  }
  if (feeds.poverty) {
    const id = `fpdx_${feeds.poverty.date.replaceAll('-', '')}.csv`;
    await load(db, 'poverty-relief', 'registered-poor', feeds.poverty.rows, { id, partition: '', endDate: feeds.poverty.date, last: true });
  }
  if (feeds.regionStats) {
    await load(db, 'region-stats', 'region-figures', feeds.regionStats.rows, {
      id: `region_stats_${feeds.regionStats.year}.csv`, partition: String(feeds.regionStats.year), endDate: null, last: true,
    });
  }
  await load(db, 'economic-check', 'facts', feeds.economicCheck ?? []);
}

/**
 * What a case records, read from the entities: sync runs, rule runs and people, and every table
 * that hangs off them (source records, facts, households, findings, bookmarks…). Regions,
 * programmes, parameters, tokens and the audit trail reference none of them, and stay.
 */
const GRAPH_TABLES = tablesReferencing([SyncRun, RuleRun, Person], entities);

/** Empties the graph between cases. */
export async function clearGraph(db: Database): Promise<void> {
  await db.pool.query(`truncate ${GRAPH_TABLES.join(', ')} restart identity cascade`);
}

/**
 * The subject and item of a finding identity (rule|subject_type|subject_key[|item]), as traceRule
 * takes them: a person by ID number, a household by its head's, a region by code.
 */
export async function subjectOfIdentity(db: Database, identity: string): Promise<{ subjectId: string | null; item: string | null }> {
  const [, type, key, ...item] = identity.split('|');
  const sql =
    type === 'person'
      ? `select id::text from person where id_number = $1`
      : type === 'household'
        ? `select h.id::text from household h join person p on p.id = h.head_person_id where p.id_number = $1 order by h.id limit 1`
        : `select $1::text as id`;
  const { rows } = await db.pool.query<{ id: string }>(sql, [key]);
  return { subjectId: rows[0]?.id ?? null, item: item.length ? item.join('|') : null };
}

/** Loads the case into an empty graph, evaluates the rule as of the case's date, returns the identities found. */
export async function findingsOf(db: Database, rule: RuleDefinition, c: RuleCase): Promise<string[]> {
  await clearGraph(db);
  await loadCase(db, c.feeds);
  await loadScreenings(db, c.screenings ?? []);
  const run = await runRules(db.pool, [rule], { asOf: c.asOf, city: '3710' });
  const { rows } = await db.pool.query<{ identity: string }>(`select identity from finding where held_in_run_id = $1 order by identity`, [run.runId]);
  return rows.map((r) => r.identity);
}

/** The case's screenings, stored as the office's data (no judging: a rule reads lists and decisions only). */
async function loadScreenings(db: Database, screenings: CaseScreening[]): Promise<void> {
  await db.pool.query('truncate screening cascade');
  for (const s of screenings) {
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into screening (programme_code, year, region_code, title, as_of, submitted_by, submitted_role, withdrawn_at)
       values ($1, $2, $3, 'case', make_date($2, 1, 1), 'case', 'OFFICE', case when $4 then now() end) returning id`,
      [s.programme, s.year, s.regionCode, !!s.withdrawn],
    );
    for (const [i, r] of s.rows.entries()) {
      const row = await db.pool.query<{ id: string }>(
        `insert into screening_row (screening_id, row_number, raw_id_number, id_number, person_id)
         select $1, $2, $3::text, $3::text, (select id from person where id_number = $3::text) returning id`,
        [rows[0].id, i + 1, r.idNumber],
      );
      for (const decision of r.decisions ?? []) {
        await db.pool.query(`insert into screening_evaluation (row_id, decision, decided_by) values ($1, $2, 'case')`, [row.rows[0].id, decision]);
      }
    }
  }
}
