/**
 * Reads everything a running demo city serves, as a hub would: every page of the four APIs (the
 * raw response texts too, for hashing) and every drop file (bytes, and rows read with the
 * independent readers of independentChecks).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoRegistries } from '../../src/simulator/demo';
import { readCsvFile, readWorkbook, type SheetContent } from './independentChecks';

type Row = Record<string, unknown>;

export interface ServedCity {
  /** every response body, in the order read */
  responses: string[];
  households: Row[];
  grants: Row[];
  registrations: Row[];
  settlements: Row[];
  deaths: Row[];
  disabledPersons: Row[];
  /** drop files by name: their bytes */
  files: Map<string, Buffer>;
  /** CSV drops by file name: header and data rows with their physical line numbers */
  csv: Map<string, { encoding: string; text: string; header: string[]; rows: { line: number; cells: string[] }[] }>;
  /** the newest housing workbook's sheets, and its file name */
  sheets: Map<string, SheetContent>;
  housingFile: string;
  /** every housing workbook's sheets, by file name */
  workbooks: Map<string, Map<string, SheetContent>>;
}

async function text(url: string, init?: RequestInit): Promise<string> {
  const response = await fetch(url, init);
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${body}`);
  return body;
}

export async function readCity(demo: DemoRegistries): Promise<ServedCity> {
  const responses: string[] = [];
  const served = async (url: string, init?: RequestInit) => {
    const body = await text(url, init);
    responses.push(body);
    return JSON.parse(body);
  };

  const cursorWalk = async (path: string): Promise<Row[]> => {
    const rows: Row[] = [];
    let cursor: string | null = null;
    do {
      const body: { data: Row[]; next_cursor: string | null } = await served(`${demo.civilAffairs.url}${path}?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      rows.push(...body.data);
      cursor = body.next_cursor;
    } while (cursor);
    return rows;
  };
  const pageWalk = async (path: string, query: string): Promise<Row[]> => {
    const rows: Row[] = [];
    for (let page = 1; ; page++) {
      const body: { total: number; rows: Row[] } = await served(`${demo.health.url}${path}?${query}&page=${page}&size=1000`);
      rows.push(...body.rows);
      if (body.rows.length === 0 || rows.length >= body.total) return rows;
    }
  };
  const tokenWalk = async (): Promise<Row[]> => {
    const rows: Row[] = [];
    let token: string | null = null;
    do {
      const body: { items: Row[]; nextPageToken: string | null } = await served(`${demo.disability.url}/openapi/v1/persons?pageSize=200${token ? `&pageToken=${token}` : ''}`);
      rows.push(...body.items);
      token = body.nextPageToken;
    } while (token);
    return rows;
  };

  const households = await cursorWalk('/api/assistance/households');
  const grants = await cursorWalk('/api/assistance/grants');
  const registrations = await cursorWalk('/api/registries/persons');
  const settlements: Row[] = [];
  for (const year of demo.years) settlements.push(...(await pageWalk('/v2/medical/settlements', `year=${year}`)));
  const deaths = await pageWalk('/v2/deaths', 'since=1900-01-01');
  const disabledPersons = await tokenWalk();

  const files = new Map<string, Buffer>();
  const csv: ServedCity['csv'] = new Map();
  let sheets = new Map<string, SheetContent>();
  let housingFile = '';
  const workbooks = new Map<string, Map<string, SheetContent>>();
  for (const folder of [demo.drops.education, demo.drops.housing, demo.drops.poverty, demo.drops.regionStats]) {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      files.set(name, readFileSync(path));
      if (name.endsWith('.csv')) {
        const read = readCsvFile(path);
        const [header, ...data] = read.rows;
        csv.set(name, { encoding: read.encoding, text: read.text, header, rows: data.map((cells, i) => ({ line: i + 2, cells })) });
      } else {
        sheets = await readWorkbook(path);
        housingFile = name;
        workbooks.set(name, sheets);
      }
    }
  }
  return { responses, households, grants, registrations, settlements, deaths, disabledPersons, files, csv, sheets, housingFile, workbooks };
}

/** The facts the oracle answers for these people, asked 200 at a time within its rate. */
export async function askOracle(demo: DemoRegistries, ids: string[], responses?: string[]): Promise<Row[]> {
  const facts: Row[] = [];
  for (let i = 0; i < ids.length; i += 200) {
    if (i > 0 && (i / 200) % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 1100));
    const body = await text(`${demo.economicCheck.url}/hedui/v1/query`, { method: 'POST', body: JSON.stringify({ sfzh: ids.slice(i, i + 200) }) });
    responses?.push(body);
    facts.push(...(JSON.parse(body) as { results: Row[] }).results);
  }
  return facts;
}
