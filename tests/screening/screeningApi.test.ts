import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { startSampleAuthHub, type SampleAuthHub } from '../auth/sampleAuthHub';
import { ruleCatalogue } from '../../src/rules/catalogue';
import { runRules } from '../../src/rules/engine/runRules';

/**
 * The screening as a user meets it: `POST /api/screenings` with real files (GBK with a banner and
 * a 合计 row, XLSX with a merged banner), hostile uploads answered 400 with nothing stored, the
 * GraphQL queries and mutations, who may do what, and the audit trail of every row read.
 */
let h: SampleAuthHub;
let known: { id: string; idNumber: string; name: string; region: string };
let elsewhere: { id: string; idNumber: string };
let clean: { id: string; idNumber: string; name: string };

beforeAll(async () => {
  h = await startSampleAuthHub();
  const pick = async (where: string) =>
    (
      await h.db.pool.query(
        `select p.id, p.id_number as "idNumber", p.name, pr.region_code as region
           from person p join weijiu_person_region('2026-10-31', null) pr on pr.person_id = p.id
          where ${where} and not exists (select 1 from death_record d where d.person_id = p.id)
          order by p.id limit 1`,
      )
    ).rows[0];
  known = await pick(`pr.region_code like '371002001%'`);
  elsewhere = await pick(`pr.region_code like '371082%'`);
  // nothing to say about them for a DB list: no benefit, no economic fact
  clean = await pick(`not exists (select 1 from weijiu_person_benefit(array[p.id])) and not exists (select 1 from economic_fact f where f.person_id = p.id)`);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const screeningCount = async () => (await h.db.pool.query(`select count(*)::int as n from screening`)).rows[0].n as number;

async function upload(file: Buffer, name: string, fields: Record<string, string> = {}, token = h.hub.officeToken) {
  const form = new FormData();
  const all = { programme: 'LS', year: '2026', regionCode: '3710', title: '2026年临时救助拟救助名单', asOf: '2026-10-31', ...fields };
  for (const [k, v] of Object.entries(all)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(file)]), name);
  const res = await fetch(`${h.hub.directUrl}/api/screenings`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

const bad = (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1');

function gbkCsv(rows: string[][]): Buffer {
  const lines = [['某某县2026年临时救助拟救助人员名单'], ['序号', '身份证号', '姓名', '拟救助金额', '备注'], ...rows, ['合计', '', '', '3000.00', '']];
  return iconv.encode(lines.map((l) => l.join(',')).join('\r\n') + '\r\n', 'gbk');
}

async function workbook(fill: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  ws.mergeCells('A1:D1');
  ws.getCell('A1').value = '2026年国家助学金拟资助名单';
  ws.addRow(['序号', '姓 名', '身份证号', '拟救助金额']);
  fill(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('POST /api/screenings', () => {
  test('a GBK CSV with a banner and a 合计 row: 201 with its rows and rejections; the 合计 row is no data', async () => {
    const res = await upload(gbkCsv([['1', known.idNumber, known.name, '1000'], ['2', bad(known.idNumber), '张三', '1000'], ['3', ` ${known.idNumber.toLowerCase()} `, known.name, '1000']]), 'ls.csv');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), rows: 3, rejected: 1 });
    const rows = await h.db.pool.query(`select row_number, verdict, reason_codes from screening_row where screening_id = $1 order by row_number`, [res.body.id]);
    expect(rows.rows.map((r) => r.reason_codes.includes('BAD_ID'))).toEqual([false, true, false]);
    expect(rows.rows[2].reason_codes).toContain('DUPLICATE_ROW');
    // the people on the list were judged, hence read: audited with the screening as purpose
    const audit = await h.db.pool.query(`select operation, person_ids from audit_event where purpose = $1`, [`screening ${res.body.id}`]);
    expect(audit.rows).toEqual([{ operation: 'POST /api/screenings', person_ids: [known.id] }]);
  });

  test('an XLSX with a merged banner, headers found by name (spaces in 姓 名), and a 合计 row', async () => {
    const file = await workbook((ws) => {
      ws.addRow([1, known.name, known.idNumber, 500]);
      ws.addRow(['合计', '', '', 500]);
      ws.addRow([2, '不是数据', bad(known.idNumber), 1]);
    });
    const res = await upload(file, 'jy.xlsx', { programme: 'JY_GRANT' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 1, rejected: 0 });
  });

  test('hostile uploads are answered 400 naming the problem, and nothing is stored', async () => {
    const before = await screeningCount();
    const bomb = zipOf('xl/worksheets/sheet1.xml', await deflatedZeros(260));
    const formulaXlsx = await workbook((ws) => {
      ws.addRow([1, { formula: 'HYPERLINK("http://evil.example","点击")', result: '点击' }, known.idNumber, 1]);
    });
    const cases: Array<[string, Buffer, string, RegExp]> = [
      ['an empty file', Buffer.alloc(0), 'empty.csv', /empty/],
      ['a file with only headers', Buffer.from('\uFEFF身份证号,姓名\r\n'), 'headers.csv', /no data rows/],
      ['no 身份证号 column', Buffer.from('\uFEFF姓名,备注\r\n张三,x\r\n'), 'nocol.csv', /身份证号/],
      ['a CSV with a 1 MB line', Buffer.from(`\uFEFF身份证号,姓名\r\n${known.idNumber},${'长'.repeat(1_000_000)}\r\n`), 'long.csv', /characters/],
      ['a formula cell in a CSV', Buffer.from(`\uFEFF身份证号,姓名\r\n${known.idNumber},"=HYPERLINK(""http://evil.example"",""x"")"\r\n`), 'formula.csv', /formula/],
      ['a formula cell in an XLSX', formulaXlsx, 'formula.xlsx', /formula/],
      ['invalid UTF-8 after a BOM', Buffer.concat([Buffer.from('\uFEFF身份证号\r\n'), Buffer.from([0xff, 0xfe, 0xfd, 0x0d, 0x0a])]), 'broken.csv', /UTF-8/],
      ['a zip bomb as XLSX', bomb, 'bomb.xlsx', /bytes/],
      ['a 30 MB file', Buffer.alloc(30 * 1024 * 1024, 0x41), 'big.csv', /20 MB/],
    ];
    for (const [what, file, name, problem] of cases) {
      const res = await upload(file, name);
      expect({ what, status: res.status }).toEqual({ what, status: 400 });
      expect({ what, message: res.body.error.message }).toEqual({ what, message: expect.stringMatching(problem) });
    }
    expect(await screeningCount()).toBe(before);
  }, 60_000);

  test('no token: 401; an ANALYST token: 403; an unknown programme: 400 naming the field', async () => {
    const csv = gbkCsv([['1', known.idNumber, known.name, '1']]);
    const none = await fetch(`${h.hub.directUrl}/api/screenings`, { method: 'POST', body: new FormData() });
    expect(none.status).toBe(401);
    expect((await upload(csv, 'a.csv', {}, await h.hub.tokenFor({ role: 'ANALYST', label: 'stats' }))).status).toBe(403);
    const unknown = await upload(csv, 'a.csv', { programme: 'NOPE' });
    expect(unknown).toMatchObject({ status: 400, body: { error: { field: 'programme' } } });
  });
});

const CREATE = `mutation($input: CreateScreeningInput!) { createScreening(input: $input) { id programme year regionCode asOf counts { verdict rows } } }`;
const ROWS = `query($id: ID!, $filter: ScreeningRowFilter) { screening(id: $id) { id rows(filter: $filter) { totalCount edges { node {
  id rowNumber idNumber name verdict reasons { code clauses evidence { feed recordKey values } } evaluations { decision note approvalRef decidedBy } } } } } }`;
const EVALUATE = `mutation($input: EvaluateScreeningRowsInput!) { evaluateScreeningRows(input: $input) { id verdict evaluations { decision approvalRef } } }`;

describe('GraphQL', () => {
  test('createScreening judges on arrival; rows filter by verdict and reason; every row read is audited with the screening as purpose', async () => {
    const made = await h.hub.graphql(CREATE, {
      input: { programme: 'LS', year: 2026, regionCode: '3710', title: 'GraphQL list', asOf: '2026-10-31', rows: [{ idNumber: known.idNumber, name: known.name }, { idNumber: bad(known.idNumber) }] },
    });
    expect(made.errors).toBeUndefined();
    const s = made.data.createScreening;
    const onArrival = await h.db.pool.query(`select person_ids from audit_event where purpose = $1`, [`screening ${s.id}`]);
    expect(onArrival.rows.flatMap((r) => r.person_ids.map(String))).toContain(known.id);
    expect(s.counts.find((c: any) => c.verdict === 'REJECT').rows).toBe(1);
    expect(s.counts.map((c: any) => c.verdict)).toEqual(['PASS', 'REVIEW', 'LEADING_GROUP', 'REJECT']);
    const rejected = await h.hub.graphql(ROWS, { id: s.id, filter: { reason: ['BAD_ID'] } });
    expect(rejected.data.screening.rows.edges.map((e: any) => [e.node.rowNumber, e.node.idNumber, e.node.verdict])).toEqual([[2, null, 'REJECT']]);
    const all = await h.hub.graphql(ROWS, { id: s.id });
    expect(all.data.screening.rows.totalCount).toBe(2);
    const audit = await h.db.pool.query(`select purpose, person_ids from audit_event where purpose = $1`, [`screening ${s.id}`]);
    expect(audit.rows.flatMap((r) => r.person_ids.map(String))).toContain(known.id);
  });

  test('a client mistake is BAD_USER_INPUT: asOf before the year, an unknown reason in a filter', async () => {
    const early = await h.hub.graphql(CREATE, { input: { programme: 'LS', year: 2026, regionCode: '3710', title: 'x', asOf: '2025-12-31', rows: [{ idNumber: known.idNumber }] } });
    expect(early.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const made = await h.hub.graphql(CREATE, { input: { programme: 'LS', year: 2026, regionCode: '3710', title: 'x', rows: [{ idNumber: known.idNumber }] } });
    const wrong = await h.hub.graphql(ROWS, { id: made.data.createScreening.id, filter: { reason: ['NOPE'] } });
    expect(wrong.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('evaluation: not by the submitting token; LEADING_GROUP needs an approval reference; approve every PASS row in one call; history kept', async () => {
    const colleague = await h.hub.tokenFor({ role: 'OFFICE', label: 'colleague' });
    await h.hub.graphql(CREATE, { input: { programme: 'DB', year: 2026, regionCode: '3710', title: 'first', rows: [{ idNumber: elsewhere.idNumber }] } });
    const made = await h.hub.graphql(CREATE, {
      input: { programme: 'DB', year: 2026, regionCode: '3710', title: 'second', rows: [{ idNumber: elsewhere.idNumber }, { idNumber: known.idNumber }, { idNumber: clean.idNumber, name: clean.name }] },
    });
    const id = made.data.createScreening.id;
    const own = await h.hub.graphql(EVALUATE, { input: { screeningId: id, filter: { verdict: ['PASS'] }, decision: 'APPROVE' } });
    expect(own.errors[0].extensions.code).toBe('FORBIDDEN');
    const rows = (await h.hub.graphql(ROWS, { id })).data.screening.rows.edges.map((e: any) => e.node);
    const listedTwice = rows.find((r: any) => r.reasons.some((x: any) => x.code === 'LISTED_ELSEWHERE'));
    expect(listedTwice.verdict).toBe('LEADING_GROUP');
    const noRef = await h.hub.graphqlAs(colleague, EVALUATE, { input: { ids: [listedTwice.id], decision: 'APPROVE' } });
    expect(noRef.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    await h.hub.graphqlAs(colleague, EVALUATE, { input: { ids: [listedTwice.id], decision: 'REFER', note: 'to the leading group' } });
    const ok = await h.hub.graphqlAs(colleague, EVALUATE, { input: { ids: [listedTwice.id], decision: 'APPROVE', approvalRef: '威救领〔2026〕3号' } });
    expect(ok.data.evaluateScreeningRows[0].evaluations.map((e: any) => e.decision)).toEqual(['REFER', 'APPROVE']);
    const approved = await h.hub.graphql(`query($id: ID!) { screening(id: $id) { approved { totalCount edges { node { id } } } } }`, { id });
    expect(approved.data.screening.approved.edges.map((e: any) => e.node.id)).toEqual([listedTwice.id]);
    // "approve every PASS row" is one call, and decides on the PASS rows only
    const pass = rows.filter((r: any) => r.verdict === 'PASS').map((r: any) => r.id);
    expect(pass.length).toBeGreaterThan(0);
    const every = await h.hub.graphqlAs(colleague, EVALUATE, { input: { screeningId: id, filter: { verdict: ['PASS'] }, decision: 'APPROVE', note: 'checked' } });
    expect(every.data.evaluateScreeningRows.map((r: any) => r.id)).toEqual(pass);
    // a TOWN token evaluates the lists of its region only
    const town = await h.hub.tokenFor({ role: 'TOWN', region: '371002001', label: 'town reviewer' });
    const elsewhereList = await h.hub.graphqlAs(town, EVALUATE, { input: { ids: [listedTwice.id], decision: 'REJECT' } });
    expect(elsewhereList.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  test('TOWN: submits inside its region only, sees the lists of its region, and the evidence of facts outside it is withheld', async () => {
    const town = await h.hub.tokenFor({ role: 'TOWN', region: '371002001', label: 'town desk' });
    const outside = await h.hub.graphqlAs(town, CREATE, { input: { programme: 'LS', year: 2026, regionCode: '371082', title: 'x', rows: [{ idNumber: known.idNumber }] } });
    expect(outside.errors[0].extensions.code).toBe('FORBIDDEN');
    const made = await h.hub.graphqlAs(town, CREATE, {
      input: { programme: 'LS', year: 2026, regionCode: '371002001', title: 'town list', rows: [{ idNumber: elsewhere.idNumber }, { idNumber: known.idNumber }] },
    });
    expect(made.errors).toBeUndefined();
    const rows = (await h.hub.graphqlAs(town, ROWS, { id: made.data.createScreening.id })).data.screening.rows.edges.map((e: any) => e.node);
    const outsider = rows.find((r: any) => r.rowNumber === 1);
    const reason = outsider.reasons.find((x: any) => x.code === 'OUTSIDE_REGION');
    expect(reason).toEqual({ code: 'OUTSIDE_REGION', clauses: [], evidence: [] });
    const office = (await h.hub.graphql(ROWS, { id: made.data.createScreening.id })).data.screening.rows.edges[0].node;
    expect(office.reasons.find((x: any) => x.code === 'OUTSIDE_REGION').evidence.length).toBeGreaterThan(0);
    const list = await h.hub.graphqlAs(town, `{ screenings(first: 100) { edges { node { regionCode } } } }`);
    expect(list.data.screenings.edges.every((e: any) => e.node.regionCode.startsWith('371002001'))).toBe(true);
  });

  test('rescreen keeps the earlier judgement in each row’s history; withdraw by its submitter or the office only', async () => {
    const made = await h.hub.graphql(CREATE, { input: { programme: 'LS', year: 2026, regionCode: '371002', title: 'to judge again', asOf: '2026-03-01', rows: [{ idNumber: known.idNumber }] } });
    const id = made.data.createScreening.id;
    const again = await h.hub.graphql(`mutation($id: ID!) { rescreen(id: $id, asOf: "2026-10-31") { asOf } }`, { id });
    expect(again.data.rescreen.asOf).toBe('2026-10-31');
    const history = await h.hub.graphql(`query($id: ID!) { screening(id: $id) { rows { edges { node { history { asOf verdict reasons } } } } } }`, { id });
    expect(history.data.screening.rows.edges[0].node.history.map((j: any) => j.asOf)).toEqual(['2026-03-01', '2026-10-31']);
    // a TOWN token reading the list (of its county) did not submit it
    const county = await h.hub.tokenFor({ role: 'TOWN', region: '371002', label: 'county desk' });
    const refused = await h.hub.graphqlAs(county, `mutation($id: ID!) { withdrawScreening(id: $id) { withdrawn } }`, { id });
    expect(refused.errors[0].extensions.code).toBe('FORBIDDEN');
    const withdrawn = await h.hub.graphql(`mutation($id: ID!) { withdrawScreening(id: $id) { withdrawn } }`, { id });
    expect(withdrawn.data.withdrawScreening.withdrawn).toBe(true);
  });

  test('D6: once the office evaluated a row of the city’s 2026 LS list, an LS grant of 2026 to a person it did not approve is a finding, in the catalogue and coverage', async () => {
    const paid = (await h.db.pool.query(
      `select p.id_number as "idNumber" from benefit b join person p on p.id = b.person_id
        where b.programme_code = 'LS' and b.retired_at is null and b.paid_on between '2026-01-01' and '2026-10-31' order by b.id limit 1`,
    )).rows[0];
    const colleague = await h.hub.tokenFor({ role: 'OFFICE', label: 'evaluating colleague' });
    const made = await h.hub.graphql(CREATE, { input: { programme: 'LS', year: 2026, regionCode: '3710', title: 'LS 2026 for D6', rows: [{ idNumber: clean.idNumber }] } });
    const rows = (await h.hub.graphql(ROWS, { id: made.data.createScreening.id })).data.screening.rows.edges;
    await h.hub.graphqlAs(colleague, EVALUATE, { input: { ids: [rows[0].node.id], decision: 'APPROVE', approvalRef: 'ref' } });
    await runRules(h.db.pool, ruleCatalogue, { asOf: '2026-10-31', city: '3710' });
    const found = await h.hub.graphql(`{ findings(filter: { rule: ["D6"] }, first: 100) { edges { node { identity clauses } } } rules { code legalReference } }`);
    expect(found.data.findings.edges.map((e: any) => e.node.identity)).toContain(`D6|person|${paid.idNumber}|LS|2026`);
    expect(found.data.rules.find((r: any) => r.code === 'D6').legalReference).toMatch(/二\(四\)2/);
    const coverage = await h.hub.graphql(`{ coverage(regionCode: "3710", asOf: "2026-10-31") { openFindings { rule count } } }`);
    expect(coverage.data.coverage.openFindings.find((r: any) => r.rule === 'D6').count).toBeGreaterThan(0);
    // withdrawn, the list screens nothing: the findings clear at the next run
    await h.hub.graphql(`mutation($id: ID!) { withdrawScreening(id: $id) { withdrawn } }`, { id: made.data.createScreening.id });
    await h.db.pool.query(`update screening set withdrawn_at = now() where programme_code = 'LS' and year = 2026`);
    await runRules(h.db.pool, ruleCatalogue, { asOf: '2026-10-31', city: '3710' });
    const after = await h.hub.graphql(`{ findings(filter: { rule: ["D6"], status: [OPEN] }, first: 100) { edges { node { identity } } } }`);
    expect(after.data.findings.edges.map((e: any) => e.node.identity).filter((i: string) => i.endsWith('|LS|2026'))).toEqual([]);
  });

  test('ANALYST: counts of the lists, never their rows', async () => {
    const analyst = await h.hub.tokenFor({ role: 'ANALYST', label: 'stats' });
    await h.hub.graphql(CREATE, { input: { programme: 'LS', year: 2026, regionCode: '3710', title: 'counted', rows: [{ idNumber: known.idNumber }] } });
    // disclosed as every count it reads: rounded to 5, or withheld as a small cell
    const counts = await h.hub.graphqlAs(analyst, `{ screenings { totalCount totalCountSuppressed } }`);
    expect(counts.errors).toBeUndefined();
    const { totalCount, totalCountSuppressed } = counts.data.screenings;
    expect(totalCountSuppressed ? totalCount === null : totalCount > 0 && totalCount % 5 === 0).toBe(true);
    for (const q of [`{ screenings { edges { node { rows { edges { node { idNumber } } } } } } }`, `query($id: ID!) { screening(id: $id) { counts { rows } } }`]) {
      const refused = await h.hub.graphqlAs(analyst, q, { id: '1' });
      expect(refused.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const rows = await h.hub.graphqlAs(analyst, `{ screenings { edges { node { rows { edges { node { idNumber } } } } } } }`);
    expect(JSON.stringify(rows.data ?? null)).not.toMatch(/\d{17}[\dX]/);
  });

  test('DEPARTMENT: its own programmes only; another department’s list is refused', async () => {
    const education = await h.hub.tokenFor({ role: 'DEPARTMENT', department: 'education', label: 'education app' });
    // a department app runs registered documents only
    const LOOKUP = `query($id: ID!) { screening(id: $id) { id rows { totalCount } } }`;
    for (const d of [CREATE, LOOKUP]) {
      const reg = await h.hub.graphql('mutation ($d: String!) { registerOperation(document: $d, department: "education") { sha256 } }', { d });
      expect(reg.errors).toBeUndefined();
    }
    const ls = await h.hub.graphqlAs(education, CREATE, { input: { programme: 'LS', year: 2026, regionCode: '3710', title: 'x', rows: [{ idNumber: known.idNumber }] } });
    expect(ls.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/paid by civil-affairs/) });
    const own = await h.hub.graphqlAs(education, CREATE, { input: { programme: 'JY_GRANT', year: 2026, regionCode: '3710', title: 'grants', rows: [{ idNumber: known.idNumber }] } });
    expect(own.errors).toBeUndefined();
    expect((await h.hub.graphqlAs(education, LOOKUP, { id: own.data.createScreening.id })).data.screening.rows.totalCount).toBe(1);
    const office = await h.hub.graphql(CREATE, { input: { programme: 'DB', year: 2026, regionCode: '3710', title: 'civil', rows: [{ idNumber: known.idNumber }] } });
    const seen = await h.hub.graphqlAs(education, LOOKUP, { id: office.data.createScreening.id });
    expect(seen.data.screening).toBeNull();
  });
});

/** A raw DEFLATE stream of `mb` megabytes of zeros, made a megabyte at a time. */
async function deflatedZeros(mb: number): Promise<Buffer> {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < mb; i++) deflate.write(zeros);
  await new Promise<void>((resolve) => deflate.end(resolve));
  return Buffer.concat(out);
}

/** A zip of one deflated entry whose header claims a small size: the sizes a zip declares can lie. */
function zipOf(name: string, data: Buffer): Buffer {
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(1000, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(1000, 24);
  central.writeUInt16LE(n.length, 28);
  central.writeUInt32LE(0, 42);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + n.length, 12);
  end.writeUInt32LE(30 + n.length + data.length, 16);
  return Buffer.concat([local, n, data, central, n, end]);
}
