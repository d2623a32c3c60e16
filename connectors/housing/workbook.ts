import type { DeliveryFile, DeliveryTerms, TableRow } from '../../src/ingest/fileDrop';
import { readWorkbookTables } from '../../src/ingest/xlsxTable';
import { DANGEROUS_HOUSE_HEADERS, DANGEROUS_HOUSE_SHEET, PUBLIC_HOUSING_HEADERS, PUBLIC_HOUSING_SHEET } from './contract';

type Sheet = typeof PUBLIC_HOUSING_SHEET | typeof DANGEROUS_HOUSE_SHEET;

/** A workbook is a full snapshot on the date in its name. */
export function snapshotTerms(m: RegExpExecArray): DeliveryTerms {
  return { partition: '', endDate: `${m[1]}-${m[2]}-${m[3]}` };
}

/**
 * Both sheets of a workbook, checked before either stream applies anything: a workbook missing
 * one sheet fails whole. The sheets' streams run one after the other, so the workbook parsed
 * for the first is kept (by content hash) for the second and dropped once both took theirs.
 */
let kept: { sha1: string; sheets: Promise<Map<Sheet, TableRow[]>>; taken: Set<Sheet> } | null = null;

export async function sheetRows(file: DeliveryFile, sheet: Sheet): Promise<TableRow[]> {
  if (!kept || kept.sha1 !== file.sha1) kept = { sha1: file.sha1, sheets: readBoth(file), taken: new Set() };
  const entry = kept;
  try {
    const rows = (await entry.sheets).get(sheet)!;
    entry.taken.add(sheet);
    if (entry.taken.size === 2 && kept === entry) kept = null;
    return rows;
  } catch (e) {
    if (kept === entry) kept = null;
    throw e;
  }
}

async function readBoth(file: DeliveryFile): Promise<Map<Sheet, TableRow[]>> {
  const tables = await readWorkbookTables(file.bytes, file.name, [[PUBLIC_HOUSING_SHEET, PUBLIC_HOUSING_HEADERS], [DANGEROUS_HOUSE_SHEET, DANGEROUS_HOUSE_HEADERS]]);
  const sheets = new Map<Sheet, TableRow[]>();
  for (const sheet of [PUBLIC_HOUSING_SHEET, DANGEROUS_HOUSE_SHEET] as const) {
    sheets.set(sheet, tables.get(sheet)!.map((r) => ({ location: `${file.name}/${sheet}:row ${r.row}`, cells: r.cells })));
  }
  return sheets;
}
