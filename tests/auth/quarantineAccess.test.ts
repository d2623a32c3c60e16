/**
 * 隔离区 Who sees a quarantined record (api.md, *Who sees which field*): the office sees it whole
 * and every such read is audited, naming the records and the people in them; an operator (ADMIN)
 * sees why it was refused — reason, field, record key, offending value, with every ID number in
 * any spelling and every name masked — and nothing else of it.
 */
import { checkDigit } from '../../src/identity';
import { startSampleAuthHub, type SampleAuthHub } from './sampleAuthHub';

let s: SampleAuthHub;
let admin: string;
let people: Array<{ id: string; idNumber: string; name: string }>;
let everyIdNumber: string[];
let everyName: string[];
const planted: string[] = [];

const FULL_WIDTH = (t: string) => t.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
/** What a reader could recover from an answer: widths folded, spaces and hyphens dropped. */
const folded = (t: string) => t.normalize('NFKC').replace(/[\s\-‐‑‒–—－]/gu, '').toUpperCase();
const spaced = (id: string) => `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`;
/** A sample person's number with its check digit broken: what gets a record quarantined. */
const broken = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
/** Another child's number (born 2008-02-10 in 乳山市), which no sample person holds. */
const STUDENT = ((first17) => first17 + checkDigit(first17))('37108320080210235');

async function plant(connector: string, stream: string, q: { recordKey: string; reason: string; field: string; value: string; location?: string; raw: unknown }) {
  const { rows } = await s.db.pool.query<{ id: string }>(
    `insert into quarantined_record (connector, stream, record_key, reason, field, value, location, raw, payload_hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, md5($9)) returning id::text`,
    [connector, stream, q.recordKey, q.reason, q.field, q.value, q.location ?? null, JSON.stringify(q.raw), JSON.stringify(q.raw)],
  );
  planted.push(rows[0]!.id);
}

beforeAll(async () => {
  s = await startSampleAuthHub();
  admin = await s.hub.tokenFor({ role: 'ADMIN', label: 'operator' });
  const { rows } = await s.db.pool.query(
    `select id::text, id_number as "idNumber", name from person where char_length(name) >= 2 order by id limit 5`,
  );
  people = rows;
  const [a, b, c, d, e] = people as [typeof people[0], typeof people[0], typeof people[0], typeof people[0], typeof people[0]];

  // The education feed writes ID numbers with spaces; the 学籍号 embeds the student's number.
  await plant('education', 'student-aid', {
    recordKey: `G${STUDENT}|义务教育生活补助|2026-2027_1`,
    reason: 'UNKNOWN_REGION_CODE',
    field: '区划代码',
    value: '371083999999',
    location: 'xszz_2026-2027_1.csv:41',
    raw: {
      学籍号: `G${STUDENT}`, 身份证号: spaced(a.idNumber), 姓名: a.name, 学校名称: '乳山市实验中学', 学段: '初中', 年级: '七年级',
      在校状态: '在读', 资助项目: '义务教育生活补助', 资助金额: '625.00', 学年: '2026-2027', 学期: '1', 区划代码: '371083999999',
      监护人: b.name, 联系人: `${c.name} 13806311234`,
    },
  });
  // A household whose head is written in full-width digits, a member's number as a JSON number,
  // a guardian under a key no contract lists, and a name inside the address.
  await plant('civil-affairs', 'households', {
    recordKey: 'MZ-371003-009901',
    reason: 'NEGATIVE_AMOUNT',
    field: 'enrollments[0].bzje',
    value: '-2503.00',
    raw: {
      hh_id: 'MZ-371003-009901', hzsfzh: FULL_WIDTH(b.idNumber), jtdz: `文登区葛家镇洛格庄村80号（${b.name}家）`, qhdm: '371003109212', hjxz: '农村',
      members: [
        { sfzh: FULL_WIDTH(b.idNumber), xm: b.name, yhzgx: '01', zlnl: '全自理' },
        { sfzh: Number(STUDENT.slice(0, 17)), xm: '于涵', yhzgx: '20', zlnl: '全自理', guardian: { name: c.name, idCard: spaced(c.idNumber) } },
      ],
      enrollments: [{ xmdm: 'DB', bzje: '-2503.00', ksrq: '2019-02-21', zzrq: null, tkcy: null, gyfs: null, spjb: '镇街' }],
      updated_at: '2026-10-02T08:30:00+08:00', deleted: false,
    },
  });
  // A death certificate whose number lost its check digit (17 digits), with a diagnosis-like note.
  await plant('health', 'deaths', {
    recordKey: `SZ${d.idNumber.slice(0, 6)}202609999`,
    reason: 'BAD_ID_FORMAT',
    field: 'sfzh',
    value: d.idNumber.slice(0, 17),
    raw: { swzmbh: `SZ${d.idNumber.slice(0, 6)}202609999`, sfzh: d.idNumber.slice(0, 17), xm: d.name, swrq: '2026-09-30', qhdm: '371002001001', 联系人: e.name },
  });
  // A poverty-relief row whose member's number has a wrong check digit, written with hyphens.
  const hyphenated = broken(e.idNumber).replace(/^(\d{6})(\d{8})/, '$1-$2-');
  await plant('poverty-relief', 'registered-poor', {
    recordKey: `371003100262001|${hyphenated}`,
    reason: 'BAD_ID_CHECK_DIGIT',
    field: '成员身份证号',
    value: hyphenated,
    location: 'fpdx_20261031.csv:77',
    raw: {
      户编号: '371003100262001', 户主身份证号: e.idNumber, 成员身份证号: hyphenated, 成员姓名: e.name, 与户主关系: '01', 识别年度: '2015',
      脱贫状态: '已脱贫', 监测对象类型: '', 主要风险: '因病', 家庭年人均纯收入: '9772.16', 区划代码: '371003100262',
    },
  });
  // A run whose error quotes the record that broke it, in the education feed's spelling.
  await s.db.pool.query(
    `insert into sync_run (connector, status, started_at, finished_at, error)
     values ('education', 'FAILED', now() + interval '1 minute', now() + interval '1 minute', $1)`,
    [`xszz_2026-2027_1.csv line 41: 身份证号 ${spaced(a.idNumber)} / ${FULL_WIDTH(b.idNumber)} / ${c.idNumber.slice(0, 17)}`],
  );

  everyIdNumber = (await s.db.pool.query<{ id_number: string }>(`select id_number from person`)).rows.map((r) => r.id_number);
  everyName = [...new Set([...(await s.db.pool.query<{ name: string }>(`select name from person where char_length(name) >= 2`)).rows.map((r) => r.name), '于涵'])];
}, 240_000);

afterAll(async () => {
  await s?.close();
});

async function auditRows(): Promise<Array<{ id: string; role: string; personIds: string[]; quarantinedRecordIds: string[] }>> {
  const { rows } = await s.db.pool.query(
    `select id::text, role, person_ids::text[] as "personIds", quarantined_record_ids::text[] as "quarantinedRecordIds" from audit_event order by id`,
  );
  return rows;
}

async function newRowsDuring(work: () => Promise<unknown>) {
  const before = (await auditRows()).length;
  await work();
  return (await auditRows()).slice(before);
}

const QUARANTINE = '{ quarantine(first: 100) { totalCount edges { node { id connector stream recordKey reason field value location raw receivedAt } } } }';

describe('the quarantine as an operator (ADMIN) sees it', () => {
  let answer: any;
  let text: string;
  beforeAll(async () => {
    const r = await s.hub.graphqlAs(admin, QUARANTINE);
    expect(r.errors).toBeUndefined();
    answer = r.data.quarantine;
    text = JSON.stringify(answer);
  });

  it('lists every quarantined record with why it was refused, and withholds the record itself', async () => {
    const { rows } = await s.db.pool.query<{ n: number }>(`select count(*)::int as n from quarantined_record`);
    expect(answer.edges).toHaveLength(rows[0]!.n);
    for (const { node } of answer.edges) {
      expect(node.raw).toBeNull();
      expect(node.reason).toMatch(/^[A-Z_]+$/);
    }
    const byId = new Map(answer.edges.map((e: any) => [e.node.id, e.node]));
    const [, , , d, e] = people;
    expect(byId.get(planted[0])).toMatchObject({
      recordKey: `G${STUDENT.slice(0, 6)}********${STUDENT.slice(14)}|义务教育生活补助|2026-2027_1`,
      reason: 'UNKNOWN_REGION_CODE', field: '区划代码', value: '371083999999', location: 'xszz_2026-2027_1.csv:41',
    });
    expect(byId.get(planted[1])).toMatchObject({ recordKey: 'MZ-371003-009901', reason: 'NEGATIVE_AMOUNT', field: 'enrollments[0].bzje', value: '-2503.00' });
    expect(byId.get(planted[2])).toMatchObject({ reason: 'BAD_ID_FORMAT', field: 'sfzh', value: `${d!.idNumber.slice(0, 6)}*******${d!.idNumber.slice(13, 17)}` });
    expect(byId.get(planted[3])).toMatchObject({
      reason: 'BAD_ID_CHECK_DIGIT', field: '成员身份证号', value: `${e!.idNumber.slice(0, 6)}-********-${broken(e!.idNumber).slice(14)}`,
    });
  });

  it('holds no ID number in any spelling, and no name', () => {
    const plain = folded(text);
    expect(plain).not.toMatch(/(?<![0-9])[0-9]{17}[0-9X]?(?![0-9])/);
    for (const id of [...everyIdNumber, STUDENT, ...people.map((p) => broken(p.idNumber))]) {
      // the region code and birth date together are what masking hides
      expect(plain).not.toContain(id.slice(0, 14));
    }
    for (const name of everyName) expect(text).not.toContain(name);
  });

  it('sees a failed run’s error with every ID number masked, in every spelling', async () => {
    const r = await s.hub.graphqlAs(admin, '{ connectors { name runs(first: 1) { status error } } }');
    const run = r.data.connectors.find((c: any) => c.name === 'education').runs[0];
    const [a, b, c] = people;
    expect(run.status).toBe('FAILED');
    expect(run.error).toContain(`身份证号 ${a!.idNumber.slice(0, 6)} ******** ${a!.idNumber.slice(14)}`);
    for (const id of [a!, b!, c!].map((p) => p.idNumber)) expect(folded(run.error)).not.toContain(id.slice(0, 14));
  });
});

describe('the quarantine as the office sees it', () => {
  it('is the records whole, and the read is audited naming the records and the people in them', async () => {
    let answer: any;
    const rows = await newRowsDuring(async () => {
      const r = await s.hub.graphqlAs(s.hub.officeToken, QUARANTINE);
      expect(r.errors).toBeUndefined();
      answer = r.data.quarantine;
    });
    const byId = new Map(answer.edges.map((e: any) => [e.node.id, e.node]));
    const [a, b, c, d, e] = people;
    expect((byId.get(planted[0]) as any).raw).toMatchObject({ 身份证号: spaced(a!.idNumber), 姓名: a!.name, 监护人: b!.name });

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ role: 'OFFICE' });
    expect([...rows[0]!.quarantinedRecordIds].sort()).toEqual(answer.edges.map((x: any) => x.node.id).sort());
    // a spaced, a full-width, a 17-digit spelling, and a valid number beside a broken one
    expect(rows[0]!.personIds).toEqual(expect.arrayContaining([a!.id, b!.id, c!.id, d!.id, e!.id]));
  });

  it('is audited where a record’s content left, and only there', async () => {
    const rows = await newRowsDuring(() => s.hub.graphqlAs(s.hub.officeToken, `{ quarantine(first: 2) { edges { node { id value } } } }`));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.quarantinedRecordIds).toHaveLength(2);
    // the office asking why records were refused, and an operator's masked view, read no one
    const none = await newRowsDuring(async () => {
      await s.hub.graphqlAs(s.hub.officeToken, '{ quarantine(first: 100) { totalCount edges { node { reason field } } } }');
      await s.hub.graphqlAs(admin, QUARANTINE);
    });
    expect(none).toEqual([]);
  });
});
