import ExcelJS from 'exceljs';
import { startSampleAuthHub, RAW_ID_NUMBER, type SampleAuthHub } from '../auth/sampleAuthHub';
import { SAMPLE_AS_OF } from '../support/sampleHub';
import { makeMonthlyReport } from '../../src/rules/reports/monthlyReport';
import { sourceSettings } from '../../src/rules/reports/sources';
import { connectors } from '../../connectors';

let s: SampleAuthHub;
beforeAll(async () => {
  s = await startSampleAuthHub();
}, 120_000);
afterAll(() => s?.close());

async function download(path: string, token: string | null = s.hub.officeToken) {
  const res = await fetch(`${s.hub.directUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), body };
}

/** Every sheet as rows of cell values (exceljs reading back what the hub wrote). */
async function sheets(body: Buffer): Promise<Record<string, unknown[][]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  const out: Record<string, unknown[][]> = {};
  book.eachSheet((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
    out[ws.name] = rows;
  });
  return out;
}

/** Every finding GraphQL lists for the office, page by page (newest first). */
async function allFindings(): Promise<any[]> {
  const out: any[] = [];
  let after: string | null = null;
  for (;;) {
    const r: any = await s.hub.graphql(`query($after: String) { findings(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id rule person { id idNumber name } } } } }`, { after });
    out.push(...r.data.findings.edges.map((e: any) => e.node));
    if (!r.data.findings.pageInfo.hasNextPage) return out;
    after = r.data.findings.pageInfo.endCursor;
  }
}

test('coverage.xlsx: a title row, Chinese headers, one row per region with its name, the cells equal GraphQL coverage', async () => {
  const gql = await s.hub.graphql(`{ coverage(regionCode: "3710", asOf: "${SAMPLE_AS_OF}") { regionCode name persons residents byCategory { category persons }
    openFindings { rule count } children { regionCode name persons residents byCategory { category persons } openFindings { rule count } } } }`);
  const got = await download(`/api/exports/coverage.xlsx?regionCode=3710&asOf=${SAMPLE_AS_OF}`);
  expect(got.status).toBe(200);
  expect(got.type).toContain('spreadsheetml');
  const rows = (await sheets(got.body))['覆盖情况']!;
  expect(String(rows[0]![0])).toContain(`截至 ${SAMPLE_AS_OF}`);
  const headers = rows[1] as string[];
  expect(headers.slice(0, 3)).toEqual(['区划代码', '区划名称', '低保']);
  const regions = [gql.data.coverage, ...gql.data.coverage.children];
  expect(rows.slice(2).map((r) => r[0])).toEqual(regions.map((r: any) => r.regionCode));
  for (const [i, r] of regions.entries()) {
    const row = rows[i + 2]!;
    expect(row[1]).toBe(r.name);
    expect(row[headers.indexOf('覆盖人数')]).toBe(r.persons);
    expect(row[headers.indexOf('低保')]).toBe(r.byCategory.find((c: any) => c.category === 'DIBAO').persons);
    for (const f of r.openFindings) expect(row[headers.indexOf(`未结疑点 ${f.rule}`)]).toBe(f.count);
  }
}, 60_000);

test('findings.xlsx: every matching finding, not a page; identities as GraphQL shows them; audited as a read of each subject', async () => {
  const nodes = await allFindings();
  expect(nodes.length).toBeGreaterThan(20); // more than GraphQL's default page
  const got = await download('/api/exports/findings.xlsx');
  expect(got.status).toBe(200);
  const rows = (await sheets(got.body))['疑点清单']!;
  expect(String(rows[0]![0])).toContain('疑点清单');
  expect(rows[1]!.slice(0, 5)).toEqual(['编号', '规则', '规则名称', '身份证号', '姓名']);
  const data = rows.slice(2);
  expect(data.map((r) => r[0])).toEqual(nodes.map((n: any) => n.id));
  for (const [i, n] of nodes.entries()) {
    if (n.person) expect([data[i]![3], data[i]![4]]).toEqual([n.person.idNumber, n.person.name]);
  }
  // dates are dates (期间起, 发现时间), not text
  expect(data.some((r) => r[8] instanceof Date)).toBe(true);
  for (const r of data) expect(r[11]).toBeInstanceOf(Date);
  const audit = await s.db.pool.query(`select person_ids::text[] as ids from audit_event where operation = 'GET /api/exports/findings.xlsx' order by id desc limit 1`);
  const persons = nodes.filter((n: any) => n.person).map((n: any) => n.person.id);
  expect(audit.rows[0].ids).toEqual(expect.arrayContaining(persons));

  // a filter narrows exactly as GraphQL's FindingFilter
  const rule = nodes[0].rule;
  const some = await s.hub.graphql(`query($r: [String!]) { findings(filter: { rule: $r, status: [OPEN] }, first: 1) { totalCount } }`, { r: [rule] });
  const filtered = (await sheets((await download(`/api/exports/findings.xlsx?rule=${rule}&status=OPEN`)).body))['疑点清单']!;
  expect(filtered.length - 2).toBe(some.data.findings.totalCount);

  // the assignment fields of the filter (issue 16) too: nothing is assigned in the sample
  const notOverdue = (await sheets((await download('/api/exports/findings.xlsx?overdue=false')).body))['疑点清单']!;
  expect(notOverdue.length - 2).toBe(nodes.length);
  const assigned = (await sheets((await download('/api/exports/findings.xlsx?assignedTo=health')).body))['疑点清单']!;
  expect(assigned.length - 2).toBe(0);

  // TOWN: only its region's findings; a subject elsewhere masked
  const town = (await s.db.pool.query(`select region_code from finding where region_code is not null and length(region_code) >= 9 limit 1`)).rows[0].region_code.slice(0, 9);
  const tok = await s.hub.tokenFor({ role: 'TOWN', region: town, label: 'town' });
  const tgot = await download('/api/exports/findings.xlsx', tok);
  const trows = (await sheets(tgot.body))['疑点清单']!.slice(2);
  expect(trows.length).toBeGreaterThan(0);
  for (const r of trows) expect(String(r[5])).toMatch(new RegExp(`^${town}`));
  const tgql = await s.hub.graphqlAs(tok, `{ findings(first: 1) { totalCount } }`);
  expect(trows.length).toBe(tgql.data.findings.totalCount);
}, 60_000);

test('a client mistake is a 400 naming the parameter; no token 401; a role without exports 403', async () => {
  const bad = async (path: string, parameter: string) => {
    const r = await download(path);
    expect(r.status).toBe(400);
    const body = JSON.parse(r.body.toString('utf8'));
    expect(body.error.code).toBe('BAD_USER_INPUT');
    expect(body.error.parameter).toBe(parameter);
  };
  await bad('/api/exports/coverage.xlsx?asOf=2026-02-30', 'asOf');
  await bad("/api/exports/coverage.xlsx?regionCode=3710'%20or%201=1--", 'regionCode');
  await bad('/api/exports/findings.xlsx?status=NOPE', 'status');
  await bad('/api/exports/findings.xlsx?rule=ZZ', 'rule');
  await bad('/api/exports/reports/2026-13.xlsx', 'month');
  await bad('/api/exports/screenings/abc.xlsx', 'id');
  expect((await download('/api/exports/coverage.xlsx', null)).status).toBe(401);
  const analyst = await s.hub.tokenFor({ role: 'ANALYST', label: 'analyst' });
  expect((await download('/api/exports/findings.xlsx', analyst)).status).toBe(403);
  const town = await s.hub.tokenFor({ role: 'TOWN', region: '371002001', label: 'town' });
  expect((await download('/api/exports/coverage.xlsx?regionCode=371003', town)).status).toBe(403);
}, 60_000);

test('screenings/{id}.xlsx and /approved.xlsx: each row with verdict and evaluation, money as numbers; audited with the screening as purpose', async () => {
  const people = await s.db.pool.query(`select id::text, id_number, name from person order by id limit 3`);
  const made = await s.hub.graphql(`mutation($input: CreateScreeningInput!) { createScreening(input: $input) { id } }`, {
    input: { programme: 'LS', year: 2026, regionCode: '3710', title: '导出测试', asOf: SAMPLE_AS_OF, rows: people.rows.map((p, i) => ({ idNumber: p.id_number, name: p.name, amount: `${100 + i}.50` })) },
  });
  expect(made.errors).toBeUndefined();
  const id = made.data.createScreening.id;
  const colleague = await s.hub.tokenFor({ role: 'OFFICE', label: 'colleague' });
  const gql = await s.hub.graphql(`query($id: ID!) { screening(id: $id) { rows { edges { node { id rowNumber idNumber verdict } } } } }`, { id });
  const rowsGql = gql.data.screening.rows.edges.map((e: any) => e.node);
  const pass = rowsGql.filter((r: any) => r.verdict === 'PASS' || r.verdict === 'REVIEW');
  await s.hub.graphqlAs(colleague, `mutation($input: EvaluateScreeningRowsInput!) { evaluateScreeningRows(input: $input) { id } }`, {
    input: { ids: pass.slice(0, 1).map((r: any) => r.id), decision: 'APPROVE' },
  });
  const got = await download(`/api/exports/screenings/${id}.xlsx`);
  expect(got.status).toBe(200);
  const rows = Object.values(await sheets(got.body))[0]!;
  expect(String(rows[0]![0])).toContain('导出测试');
  const data = rows.slice(2);
  expect(data.map((r) => [r[0], r[1]])).toEqual(rowsGql.map((r: any) => [r.rowNumber, r.idNumber]));
  expect(data[0]![3]).toBe(100.5);
  const approved = Object.values(await sheets((await download(`/api/exports/screenings/${id}/approved.xlsx`)).body))[0]!.slice(2);
  expect(approved.length).toBe(pass.length ? 1 : 0);
  const audit = await s.db.pool.query(`select person_ids::text[] as ids from audit_event where purpose = $1 and operation_type = 'export'`, [`screening ${id}`]);
  expect(audit.rows.length).toBe(2);
  expect(audit.rows[0].ids).toEqual(expect.arrayContaining(people.rows.map((p) => p.id)));
  // another town's list is not found for a TOWN token
  const town = await s.hub.tokenFor({ role: 'TOWN', region: '371002001', label: 'town' });
  expect((await download(`/api/exports/screenings/${id}.xlsx`, town)).status).toBe(404);
}, 60_000);

test('reports/{month}.xlsx: one sheet per table, equal to GraphQL report', async () => {
  await makeMonthlyReport(s.db.pool, { month: '2026-10', city: '3710', madeBy: 'test', sources: sourceSettings({}, connectors) });
  const gql = await s.hub.graphql(`{ report(month: "2026-10") { coverage { persons children { regionCode persons } } findings { rule opened cleared decided openAtEnd } sources { connector records } } }`);
  const got = await download('/api/exports/reports/2026-10.xlsx');
  expect(got.status).toBe(200);
  const book = await sheets(got.body);
  expect(Object.keys(book)).toEqual(['覆盖情况', '疑点统计', '筛选评估', '数据来源']);
  expect(book['疑点统计']!.slice(2).map((r) => [r[0], r[2], r[3], r[4], r[5]])).toEqual(
    gql.data.report.findings.map((f: any) => [f.rule, f.opened, f.cleared, f.decided, f.openAtEnd]),
  );
  const cov = book['覆盖情况']!;
  const persons = cov[1]!.indexOf('覆盖人数');
  expect(cov[2]![persons]).toBe(gql.data.report.coverage.persons);
  expect(book['数据来源']!.slice(2).map((r) => [r[0], r[6]])).toEqual(gql.data.report.sources.map((x: any) => [x.connector, x.records]));
  // counts only: no ID number in any text cell
  for (const rows of Object.values(book)) for (const r of rows) for (const c of r) if (typeof c === 'string') expect(c).not.toMatch(RAW_ID_NUMBER);
  expect((await download('/api/exports/reports/2025-01.xlsx')).status).toBe(404);
}, 60_000);

test('findings.xlsx for a TOWN: a subject living outside its region is masked there, as GraphQL masks it', async () => {
  // a finding listed in one town about a person who lives in another
  const f = (
    await s.db.pool.query(
      `select f.id::text, p.region_code from finding f join person p on p.id = f.person_id where length(p.region_code) = 12 order by f.id limit 1`,
    )
  ).rows[0];
  const other = (await s.db.pool.query(`select code from region where level = 'TOWN' and code <> $1 order by code limit 1`, [f.region_code.slice(0, 9)])).rows[0].code;
  await s.db.pool.query(`update finding set region_code = $2 where id = $1`, [f.id, other]);
  const tok = await s.hub.tokenFor({ role: 'TOWN', region: other, label: 'other town' });
  const gql = await s.hub.graphqlAs(tok, `query($id: ID!) { finding(id: $id) { id identity person { idNumber } } }`, { id: f.id });
  expect(gql.data.finding.person).toBeNull();
  const rows = (await sheets((await download('/api/exports/findings.xlsx', tok)).body))['疑点清单']!.slice(2);
  const row = rows.find((r) => r[0] === f.id)!;
  expect(String(row[3])).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  expect(String(row[4])).toContain('*');
  expect(row[15] ?? '').toBe('');
  for (const r of rows) for (const c of r) if (typeof c === 'string' && r[0] === f.id) expect(c).not.toMatch(RAW_ID_NUMBER);
}, 60_000);
