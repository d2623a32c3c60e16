import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { makeMonthlyReport } from '../../src/rules/reports/monthlyReport';
import { sourceSettings } from '../../src/rules/reports/sources';
import { startSampleAuthHub, type SampleAuthHub } from '../auth/sampleAuthHub';
import { todayInShanghai } from '../../src/identity';
import { figure, launchChromium, ready, screenshot, show, signIn, tableText, type PageSession } from './pageBrowser';

/**
 * The office's page in a real browser (headless Chromium from the system's packages), as the
 * office's staff use it: signed in with a token once, the overview's figures equal to GraphQL's,
 * a drill-down to a village, a finding dismissed from the page, and only the hub ever asked.
 */
let h: SampleAuthHub;
let browser: Browser;
let office: PageSession;
const today = todayInShanghai();
const CATEGORY_NAMES: Record<string, string> = {
  DIBAO: '低保', TEKUN: '特困', TEMPORARY: '临时救助', DISABLED: '残疾人', CHILD_IN_DIFFICULTY: '困境儿童',
  LEFT_BEHIND: '三留守', REGISTERED_POOR: '建档立卡贫困', LOW_INCOME: '低收入家庭', VAGRANT: '流浪乞讨',
};

const COVERAGE = `query ($region: String!, $asOf: Date) { coverage(regionCode: $region, asOf: $asOf) {
  regionCode persons byCategory { category persons } openFindings { rule count }
  children { regionCode persons byCategory { category persons } openFindings { rule count } } } }`;

beforeAll(async () => {
  [h, browser] = await Promise.all([startSampleAuthHub(), launchChromium()]);
  const token = await h.hub.tokenFor({ role: 'OFFICE', label: '市办公室 王敏' });
  office = await signIn(browser, h.hub.directUrl, token);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** What the page shows of a coverage against what GraphQL answers for it. */
async function expectOverviewEquals(s: PageSession, region: string) {
  const answer = await h.hub.graphql(COVERAGE, { region, asOf: today });
  expect(answer.errors).toBeUndefined();
  const cov = answer.data.coverage;
  expect(figure(await s.page.textContent('#persons') ?? '')).toBe(cov.persons);
  const categories = await tableText(s.page, 'table-categories');
  expect(categories.map((r) => [r[0], figure(r[1]!)])).toEqual(cov.byCategory.map((c: any) => [CATEGORY_NAMES[c.category], c.persons]));
  if (cov.openFindings.length) {
    const rules = await tableText(s.page, 'table-rules');
    expect(rules.map((r) => [r[0], figure(r[2]!)])).toEqual(cov.openFindings.map((r: any) => [r.rule, r.count]));
  }
  if (cov.children.length) {
    const children = await tableText(s.page, 'table-children');
    expect(children.map((r) => [r[1], figure(r[2]!)])).toEqual(cov.children.map((c: any) => [c.regionCode, c.persons]));
    // each child's nine categories, in the table's column order
    for (const [i, c] of cov.children.entries()) {
      const cells = children[i]!.slice(-9).map(figure);
      expect(cells).toEqual(Object.keys(CATEGORY_NAMES).map((k) => c.byCategory.find((b: any) => b.category === k).persons));
    }
  }
  return cov;
}

test('the office opens the overview: the city, its nine categories, open findings and counties equal GraphQL, each chart drawn as SVG', async () => {
  const { page } = office;
  // the first view's load time, signed in: reported, not asserted (a shared CI machine is no stopwatch)
  const started = Date.now();
  await page.goto(`${h.hub.directUrl}/office`);
  await ready(page, 'overview');
  console.log(`office page: first view (overview of the sample city) ready in ${Date.now() - started} ms`);
  const cov = await expectOverviewEquals(office, '3710');
  expect(cov.persons).toBeGreaterThan(0);
  // the charts are SVG (text a screen reader and a test can read), with the Chinese category names in them
  expect(await page.$$eval('#chart-categories svg', (s) => s.length)).toBe(1);
  expect(await page.textContent('#chart-categories svg')).toContain('低保');
  expect(await page.textContent('#region-title')).toContain('威海市');
  await screenshot(page, 'office-overview');
});

test('a click on a county, then a town, then a village drills down to the village, its figures equal GraphQL at each level, names beside codes', async () => {
  const { page } = office;
  await show(page, '#overview', 'overview');
  const levels: string[] = [];
  // the first child with people at each level, by clicking its name as a person would
  for (const level of ['county', 'town', 'village']) {
    const rows = await tableText(page, 'table-children');
    const target = rows.find((r) => (figure(r[2]!) ?? 0) > 0)!;
    expect(target[0]).not.toBe(target[1]); // a name, not only the code
    await Promise.all([ready(page, 'overview').catch(() => undefined), page.click(`#table-children tr[data-key="${target[1]}"] a.drill`)]);
    await page.waitForFunction((code) => document.getElementById('region-title')?.textContent?.includes(code), target[1]);
    await ready(page, 'overview');
    await expectOverviewEquals(office, target[1]!);
    levels.push(target[1]!);
    await screenshot(page, `office-overview-${level}`);
  }
  expect(levels.map((c) => c.length)).toEqual([6, 9, 12]);
  // the breadcrumb leads back up
  expect(await page.textContent('nav.crumbs')).toContain('威海市');
  expect(await page.$('#table-children')).toBeNull();
});

test('a finding opened from the list shows its evidence; dismissed on the page with a reason holding <script>, it is in the database and the reason shows as text', async () => {
  const { page } = office;
  await show(page, '#findings', 'findings');
  const open = await h.hub.graphql(`{ findings(filter: { status: [OPEN] }, first: 1) { totalCount edges { node { id rule evidence { recordKey } } } } }`);
  expect(figure((await page.getAttribute('#findings-count', 'data-value')) ?? '')).toBe(open.data.findings.totalCount);
  const target = open.data.findings.edges[0].node;
  await screenshot(page, 'office-findings');
  await page.click(`#table-findings tr[data-key="${target.id}"] a`);
  await ready(page, 'finding');
  for (const e of target.evidence) expect(await page.textContent('#table-evidence')).toContain(e.recordKey);

  const reason = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> 已核实：十月已退回`;
  await page.check('#review-form input[value=DISMISS]');
  await page.fill('#review-form textarea[name=reason]', reason);
  await page.click('#review-form button[type=submit]');
  await page.waitForSelector('#table-decisions');
  await ready(page, 'finding');
  expect(await page.textContent('#table-decisions .reason')).toBe(reason);
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  expect(await page.$$('#table-decisions img')).toHaveLength(0);
  const stored = await h.db.pool.query(`select d.decision, d.reason, d.decided_by as "decidedBy", f.status from finding_decision d join finding f on f.id = d.finding_id where f.id = $1`, [target.id]);
  expect(stored.rows).toEqual([{ decision: 'DISMISS', reason, decidedBy: '市办公室 王敏', status: 'DISMISSED' }]);
  await screenshot(page, 'office-finding-dismissed');
});

test('a region code with SQL in it, typed into the overview, is refused and shown as text; nothing runs', async () => {
  const { page } = office;
  const hostile = `3710' OR '1'='1"><img src=x onerror="window.__pwned=3">`;
  await show(page, '#overview', 'overview');
  await page.fill('#overview-form input[name=region]', hostile);
  await page.click('#overview-form button[type=submit]');
  await page.waitForSelector('.view[data-view=overview] .error');
  await ready(page, 'overview');
  expect(await page.textContent('.view .error')).toContain('输入有误');
  expect(await page.$('#table-categories')).toBeNull();
  expect(await page.$$('.view img')).toHaveLength(0);
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  await screenshot(page, 'office-hostile-region');
});

/** The list uploaded through the page, for its export below. */
let screeningId: string;

describe('screening from the page', () => {
  let people: Array<{ idNumber: string; name: string }>;

  beforeAll(async () => {
    people = (
      await h.db.pool.query(
        `select p.id_number as "idNumber", p.name from person p join weijiu_person_region('2026-10-31', null) pr on pr.person_id = p.id
          where pr.region_code like '371002%' and not exists (select 1 from death_record d where d.person_id = p.id) order by p.id limit 3`,
      )
    ).rows;
  });

  test('a list uploaded through the page is judged; a colleague opens it, sees each row with its verdict and reasons, and evaluates a row — stored in the database', async () => {
    const { page } = office;
    await show(page, '#screenings', 'screenings');
    const csv = ['身份证号,姓名,拟救助金额', ...people.map((p) => `${p.idNumber},${p.name},1000`), `${people[0]!.idNumber.slice(0, 17)}0,错号,500`].join('\n');
    await page.setInputFiles('#upload-form input[name=file]', { name: '2026年临时救助拟救助名单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.selectOption('#upload-form select[name=programme]', 'LS');
    await page.fill('#upload-form input[name=year]', '2026');
    await page.fill('#upload-form input[name=regionCode]', '371002');
    await page.fill('#upload-form input[name=title]', '2026年环翠区临时救助拟救助名单');
    await page.fill('#upload-form input[name=asOf]', '2026-10-31');
    await page.click('#upload-form button[type=submit]');
    await page.waitForSelector('#uploaded-link');
    expect(await page.textContent('#upload-status')).toContain('已上传「2026年临时救助拟救助名单.csv」：4 行');
    screeningId = decodeURIComponent((await page.getAttribute('#uploaded-link', 'href'))!.replace('#screening/', ''));
    const stored = await h.db.pool.query(`select title, submitted_by as "submittedBy" from screening where id = $1`, [screeningId]);
    expect(stored.rows).toEqual([{ title: '2026年环翠区临时救助拟救助名单', submittedBy: '市办公室 王敏' }]);
    await screenshot(page, 'office-screening-uploaded');

    // the uploader may not evaluate its own list (separation of duties): a colleague does
    const colleague = await signIn(browser, h.hub.directUrl, await h.hub.tokenFor({ role: 'OFFICE', label: '市办公室 陈静' }));
    try {
      const p = colleague.page;
      await show(p, `#screening/${encodeURIComponent(screeningId)}`, 'screening');
      const answer = await h.hub.graphql(`query ($id: ID!) { screening(id: $id) { counts { verdict rows } rows(first: 100) { edges { node { id rowNumber verdict reasons { code } } } } } }`, { id: screeningId });
      const rows = answer.data.screening.rows.edges.map((e: any) => e.node);
      const shown = await tableText(p, 'table-rows');
      const VERDICT: Record<string, string> = { PASS: '通过', REVIEW: '需核实', LEADING_GROUP: '提请领导小组', REJECT: '不予通过' };
      expect(shown.map((r) => [figure(r[1]!), r[5]])).toEqual(rows.map((r: any) => [r.rowNumber, VERDICT[r.verdict]]));
      expect(shown[3]![6]).toContain('身份证号无效');
      const counts = (await tableText(p, 'table-verdicts'))[0]!.map(figure);
      expect(counts).toEqual(['PASS', 'REVIEW', 'LEADING_GROUP', 'REJECT'].map((v) => answer.data.screening.counts.find((c: any) => c.verdict === v).rows));
      await screenshot(p, 'office-screening-rows');

      const target = rows.find((r: any) => r.verdict !== 'LEADING_GROUP' && r.verdict !== 'REJECT') ?? rows[0];
      await p.check(`#table-rows tr[data-key="${target.id}"] input[name=row]`);
      await p.selectOption('#evaluate-form select[name=decision]', target.verdict === 'REJECT' ? 'REJECT' : 'APPROVE');
      await p.fill('#evaluate-form input[name=note]', '核对无误');
      await p.click('#evaluate-form button[type=submit]');
      await p.waitForFunction((id) => !document.querySelector(`#table-rows tr[data-key="${id}"] .evaluation`)?.textContent?.includes('未评估'), target.id);
      await ready(p, 'screening');
      const evaluation = await h.db.pool.query(`select decision, note, decided_by as "decidedBy" from screening_evaluation where row_id = $1`, [target.id]);
      expect(evaluation.rows).toEqual([{ decision: target.verdict === 'REJECT' ? 'REJECT' : 'APPROVE', note: '核对无误', decidedBy: '市办公室 陈静' }]);
      expect(await p.textContent(`#table-rows tr[data-key="${target.id}"] .evaluation`)).toContain('核对无误');
      await screenshot(p, 'office-screening-evaluated');
      expect(colleague.problems.filter((m) => !/Failed to load resource: the server responded with a status of 404/.test(m))).toEqual([]);
    } finally {
      await colleague.context.close();
    }
  });

  test('a file name with quotes and markup, refused by the hub, is named on the page as text', async () => {
    const { page } = office;
    await show(page, '#screenings', 'screenings');
    const name = `名单"><img src=x onerror="window.__pwned=4">'.csv`;
    await page.setInputFiles('#upload-form input[name=file]', { name, mimeType: 'text/csv', buffer: Buffer.from('姓名,备注\n张三,无身份证号列\n') });
    await page.fill('#upload-form input[name=title]', '无效名单');
    await page.click('#upload-form button[type=submit]');
    await page.waitForSelector('#upload-status.error');
    expect(await page.textContent('#upload-status')).toContain(`「${name}」未能上传`);
    expect(await page.$$('#upload-status img')).toHaveLength(0);
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    await screenshot(page, 'office-screening-refused');
  });
});

/** A download link of the page clicked; the file read back: its title and its rows by header (row 1 title, row 2 headers). */
async function downloaded(page: Page, selector: string): Promise<{ name: string; title: string; rows: Array<Record<string, unknown>>; sheets: string[] }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile((await download.path())!);
  const sheet = book.worksheets[0]!;
  const headers = (sheet.getRow(2).values as unknown[]).slice(1).map(String);
  const rows: Array<Record<string, unknown>> = [];
  sheet.eachRow((row, n) => {
    if (n <= 2) return;
    const values = (row.values as unknown[]).slice(1);
    rows.push(Object.fromEntries(headers.map((h, i) => [h, values[i] ?? null])));
  });
  return { name: download.suggestedFilename(), title: String(sheet.getRow(1).getCell(1).value), rows, sheets: book.worksheets.map((w) => w.name) };
}

describe('XLSX from the page', () => {
  test('the overview\'s coverage download: one row per region with its name, its nine categories and people covered equal GraphQL', async () => {
    const { page } = office;
    await show(page, `#overview?region=3710&asOf=${today}`, 'overview');
    const xlsx = await downloaded(page, '#summary a.download');
    expect(xlsx.title).toContain(today);
    const cov = (await h.hub.graphql(`query ($asOf: Date) { coverage(regionCode: "3710", asOf: $asOf) { regionCode name persons byCategory { category persons }
      children { regionCode name persons byCategory { category persons } } } }`, { asOf: today })).data.coverage;
    for (const c of [cov, ...cov.children]) {
      const row = xlsx.rows.find((r) => r['区划代码'] === c.regionCode)!;
      expect(row['区划名称']).toBe(c.name);
      expect(row['覆盖人数']).toBe(c.persons);
      for (const b of c.byCategory) expect([b.category, row[CATEGORY_NAMES[b.category]!]]).toEqual([b.category, b.persons]);
    }
  });

  test('the findings download holds every finding the filter shown matches (not a page), as GraphQL lists them', async () => {
    const { page } = office;
    await show(page, '#findings?status=OPEN', 'findings');
    const xlsx = await downloaded(page, '.view a.download');
    const ids: string[] = [];
    for (let after: string | null = null; ; ) {
      const d: any = (await h.hub.graphql(`query ($after: String) { findings(filter: { status: [OPEN] }, first: 100, after: $after) { edges { node { id rule } } pageInfo { hasNextPage endCursor } } }`, { after })).data.findings;
      ids.push(...d.edges.map((e: any) => e.node.id));
      if (!d.pageInfo.hasNextPage) break;
      after = d.pageInfo.endCursor;
    }
    expect(xlsx.rows.map((r) => String(r['编号'])).sort()).toEqual(ids.sort());
    // in the words the page shows
    expect(new Set(xlsx.rows.map((r) => r['状态']))).toEqual(new Set(['待核查']));
    expect((await tableText(page, 'table-findings')).map((r) => r[3])).toEqual(expect.arrayContaining(['待核查']));
  });

  test("the uploaded list's download: each row with its verdict as GraphQL has it", async () => {
    const { page } = office;
    await show(page, `#screening/${encodeURIComponent(screeningId)}`, 'screening');
    const xlsx = await downloaded(page, '#screening-head a.download >> nth=0');
    const rows = (await h.hub.graphql(`query ($id: ID!) { screening(id: $id) { rows(first: 100) { edges { node { rowNumber verdict } } } } }`, { id: screeningId })).data.screening.rows.edges.map((e: any) => e.node);
    expect(xlsx.rows.map((r) => r['行号'])).toEqual(rows.map((r: any) => r.rowNumber));
    // the verdicts in the words the page shows
    const shown = await tableText(page, 'table-rows');
    expect(xlsx.rows.map((r) => r['比对结论'])).toEqual(shown.map((r) => r[5]));
    expect(shown.map((r) => figure(r[1]!))).toEqual(rows.map((r: any) => r.rowNumber));
  });

  test('a monthly report, listed on the page, opens with its figures and downloads with the figures GraphQL gives', async () => {
    const { page } = office;
    await makeMonthlyReport(h.db.pool, { month: '2026-11', city: '3710', madeBy: 'test', sources: sourceSettings(h.hub.services.config.connectors, h.hub.services.catalogue) });
    await show(page, '#reports', 'reports');
    expect((await tableText(page, 'table-reports')).map((r) => r[0])).toContain('2026-11');
    await screenshot(page, 'office-reports');
    const report = (await h.hub.graphql(`{ report(month: "2026-11") { coverage { regionCode persons byCategory { category persons } children { regionCode persons } } } }`)).data.report;
    await show(page, '#report/2026-11', 'report');
    expect(figure((await page.textContent('#report-persons')) ?? '')).toBe(report.coverage.persons);
    await screenshot(page, 'office-report');
    const xlsx = await downloaded(page, '#report-head a.download');
    for (const c of [report.coverage, ...report.coverage.children]) {
      expect([c.regionCode, xlsx.rows.find((r) => r['区划代码'] === c.regionCode)?.['覆盖人数']]).toEqual([c.regionCode, c.persons]);
    }
  });
});

test('the Sources panel shows each department\'s data date and staleness as `sources` answers', async () => {
  const { page } = office;
  await show(page, '#sources', 'sources');
  const sources = (await h.hub.graphql(`{ sources { connector dataDate stale records quarantined } }`)).data.sources;
  const shown = await page.$$eval('#table-sources tbody tr', (rows) => rows.map((r) => r.getAttribute('data-key')));
  expect(shown).toEqual(sources.map((s: any) => s.connector));
  const text = await page.textContent('#table-sources');
  for (const s of sources) if (s.dataDate) expect(text).toContain(s.dataDate);
  await screenshot(page, 'office-sources');
});

test('every request the page made went to the hub, and the browser reported no problem (no CSP refusal, no script error)', async () => {
  const origin = new URL(h.hub.directUrl).origin;
  expect(office.requests.length).toBeGreaterThan(10);
  expect(office.requests.filter((u) => new URL(u).origin !== origin)).toEqual([]);
  // a refused upload's 400 is logged by the browser as a failed load: a problem of the input, not the page
  expect(office.problems.filter((p) => !/Failed to load resource: the server responded with a status of 40[0134]/.test(p))).toEqual([]);
});

describe('a TOWN session', () => {
  const TOWN = '371002001';
  let town: PageSession;
  beforeAll(async () => {
    town = await signIn(browser, h.hub.directUrl, await h.hub.tokenFor({ role: 'TOWN', region: TOWN, label: '环翠楼街道 赵强' }));
  });
  afterAll(async () => {
    await town?.context.close();
  });

  test('opens on its own town: figures equal GraphQL, its villages below, no review form on a finding', async () => {
    const { page } = town;
    expect(await page.textContent('#region-title')).toContain(TOWN);
    await expectOverviewEquals(town, TOWN);
    const villages = await tableText(page, 'table-children');
    expect(villages.length).toBeGreaterThan(0);
    for (const v of villages) expect(v[1]!.startsWith(TOWN)).toBe(true);
    await screenshot(page, 'town-overview');
    await show(page, '#findings', 'findings');
    const first = await page.$('#table-findings tbody tr a');
    if (first) {
      await first.click();
      await ready(page, 'finding');
      expect(await page.$('#review-form')).toBeNull();
    }
  });

  test("never sees another town's figures: asking for another county is refused, and no answer it got holds figures outside its town", async () => {
    const { page } = town;
    await show(page, '#overview?region=371082', 'overview');
    expect(await page.textContent('.view .error')).toContain('无权操作');
    expect(await page.$('#table-categories')).toBeNull();
    await screenshot(page, 'town-refused');
    // every coverage figure any answer carried was of the town or under it
    const regions: string[] = [];
    const walk = (v: any) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        if ('byCategory' in v && typeof v.regionCode === 'string') regions.push(v.regionCode);
        Object.values(v).forEach(walk);
      }
    };
    walk(town.answers);
    expect(regions.length).toBeGreaterThan(0);
    expect(regions.filter((r) => !r.startsWith(TOWN))).toEqual([]);
    const origin = new URL(h.hub.directUrl).origin;
    expect(town.requests.filter((u) => new URL(u).origin !== origin)).toEqual([]);
  });
});
