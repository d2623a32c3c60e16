import type { Browser } from 'playwright-core';
import { startSampleAuthHub, type SampleAuthHub } from '../auth/sampleAuthHub';
import { todayInShanghai } from '../../src/identity';
import { figure, launchChromium, ready, screenshot, show, signIn, tableText, type PageSession } from './pageBrowser';

/**
 * exchange.md "Assignment and report-back" on the office's page, in a real browser: a finding
 * assigned from its view (stored, and shown as assigned in the list), an overdue one shown as
 * overdue and found by the list's filter, and the overview's overdue table equal to GraphQL's
 * `coverage { overdue }`.
 */
let h: SampleAuthHub;
let browser: Browser;
let office: PageSession;
const today = todayInShanghai();
const inAMonth = new Date(Date.parse(`${today}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
let open: Array<{ id: string; county: string }>;

beforeAll(async () => {
  [h, browser] = await Promise.all([startSampleAuthHub(), launchChromium()]);
  office = await signIn(browser, h.hub.directUrl, await h.hub.tokenFor({ role: 'OFFICE', label: '市办公室 王敏' }));
  open = (
    await h.db.pool.query(`select id::text, left(region_code, 6) as county from finding where status = 'OPEN' and region_code is not null order by id limit 3`)
  ).rows;
  expect(open).toHaveLength(3);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

test('a finding assigned from its view to a department is in the database and shows its assignee and due date, with a note as text', async () => {
  const { page } = office;
  const target = open[0]!;
  await show(page, `#finding/${target.id}`, 'finding');
  expect(await page.textContent('#finding-assignments')).toContain('尚未分派');
  const note = '<b>请入户核实</b><img src=x onerror="window.__pwned = 1">';
  await page.selectOption('#assign-form select[name=department]', 'education');
  await page.fill('#assign-form input[name=dueOn]', inAMonth);
  await page.fill('#assign-form input[name=note]', note);
  await page.click('#assign-form button[type=submit]');
  await page.waitForSelector('#table-assignments');
  await ready(page, 'finding');

  const stored = await h.db.pool.query(
    `select to_department as "to", to_region_code as region, to_char(due_on, 'YYYY-MM-DD') as "dueOn", note, assigned_by as "by" from finding_assignment where finding_id = $1`,
    [target.id],
  );
  expect(stored.rows).toEqual([{ to: 'education', region: null, dueOn: inAMonth, note, by: '市办公室 王敏' }]);
  expect(await page.textContent('#assignment-state')).toBe(`当前承办：教育局（education），办结期限 ${inAMonth}，未到期`);
  expect(await page.getAttribute('#assignment-state', 'data-overdue')).toBe('false');
  expect(await page.textContent('#table-assignments .note')).toBe(note);
  expect(await page.$$('#finding-assignments img, #finding-assignments b')).toHaveLength(0);
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  await screenshot(page, 'office-finding-assigned');

  // the list, filtered by assignee, shows it as assigned and not overdue
  await show(page, '#findings?assignedTo=education', 'findings');
  const cell = `#table-findings tr[data-key="${target.id}"] td.assignee`;
  expect(await page.textContent(cell)).toBe(`教育局（education） · 期限 ${inAMonth}`);
  expect(await page.getAttribute(cell, 'data-overdue')).toBe('false');
  expect(figure((await page.getAttribute('#findings-count', 'data-value')) ?? '')).toBe(1);
});

test('an assignment past its due date shows as overdue in the finding and the list, and the list’s overdue filter finds exactly those', async () => {
  const { page } = office;
  const [, late, lateToTown] = open as [unknown, { id: string; county: string }, { id: string; county: string }];
  for (const [f, to] of [[late, { department: 'health' }], [lateToTown, { regionCode: lateToTown.county }]] as const) {
    const r = await h.hub.graphql(`mutation ($i: AssignFindingsInput!) { assignFindings(input: $i) { id } }`, { i: { ids: [f.id], to, dueOn: inAMonth } });
    expect(r.errors).toBeUndefined();
  }
  // the due dates pass (the office cannot assign in the past, so time is moved in the table)
  await h.db.pool.query(`update finding_assignment set due_on = '2026-01-15' where finding_id = any($1::bigint[])`, [[late.id, lateToTown.id]]);

  await show(page, `#finding/${late.id}`, 'finding');
  expect(await page.textContent('#assignment-state')).toContain('已逾期未反馈');
  expect(await page.getAttribute('#assignment-state', 'data-overdue')).toBe('true');

  await show(page, '#findings', 'findings');
  await page.selectOption('#findings-form select[name=status]', '');
  await page.selectOption('#findings-form select[name=overdue]', 'true');
  // the list drawn before the filter is not the answer: wait for the one drawn after it
  await page.evaluate(() => document.getElementById('app')!.removeAttribute('data-ready'));
  await page.click('#findings-form button[type=submit]');
  await page.waitForFunction(() => window.location.hash.includes('overdue=true'));
  await ready(page, 'findings');
  const shown = await page.$$eval('#table-findings tbody tr', (rows) =>
    rows.map((r) => [r.getAttribute('data-key'), r.querySelector('td.assignee')!.getAttribute('data-assigned-to'), r.querySelector('td.assignee')!.getAttribute('data-overdue')]),
  );
  expect(shown.sort()).toEqual([[late.id, 'health', 'true'], [lateToTown.id, lateToTown.county, 'true']].sort());
  expect(await page.textContent(`#table-findings tr[data-key="${late.id}"] td.assignee`)).toBe('卫健委 / 医保局（health） · 期限 2026-01-15 · 已逾期');
  // a region shows by its name beside its code
  expect(await page.textContent(`#table-findings tr[data-key="${lateToTown.id}"] td.assignee`)).toMatch(new RegExp(`^\\S+（${lateToTown.county}） · 期限 2026-01-15 · 已逾期$`));
  await screenshot(page, 'office-findings-overdue');
});

test('the overview’s overdue table by assignee equals GraphQL’s coverage { overdue }, and each row leads to those findings', async () => {
  const { page } = office;
  await show(page, `#overview?region=3710&asOf=${today}`, 'overview');
  const answer = await h.hub.graphql(`query ($asOf: Date) { coverage(regionCode: "3710", asOf: $asOf) { overdue { assignedTo count } } }`, { asOf: today });
  expect(answer.errors).toBeUndefined();
  const overdue = answer.data.coverage.overdue;
  // counted by hand: one overdue for health, one for the county (the first assignment is not yet due)
  expect([...overdue].sort((a: any, b: any) => a.assignedTo.localeCompare(b.assignedTo))).toEqual(
    [{ assignedTo: 'health', count: 1 }, { assignedTo: open[2]!.county, count: 1 }].sort((a, b) => a.assignedTo.localeCompare(b.assignedTo)),
  );
  const keys = await page.$$eval('#table-overdue tbody tr', (rows) => rows.map((r) => r.getAttribute('data-key')));
  const counts = (await tableText(page, 'table-overdue')).map((r) => figure(r[1]!));
  expect(keys.map((k, i) => ({ assignedTo: k, count: counts[i] }))).toEqual(overdue);
  expect((await tableText(page, 'table-overdue')).map((r) => r[0])).toContain('卫健委 / 医保局（health）');
  // and by region: each county's overdue findings beside its other figures
  const children = await h.hub.graphql(`query ($asOf: Date) { coverage(regionCode: "3710", asOf: $asOf) { children { regionCode overdue { count } } } }`, { asOf: today });
  const column = (await page.$$eval('#table-children thead th', (ths) => ths.map((t) => t.textContent))).indexOf('逾期未反馈');
  expect(column).toBeGreaterThan(0);
  const byCounty = (await tableText(page, 'table-children')).map((r) => [r[1], figure(r[column]!)]);
  expect(byCounty).toEqual(children.data.coverage.children.map((c: any) => [c.regionCode, c.overdue.reduce((n: number, o: any) => n + o.count, 0)]));
  expect(byCounty.reduce((n, r) => n + (r[1] as number), 0)).toBe(2);
  await screenshot(page, 'office-overview-overdue');

  await page.click('#table-overdue tr[data-key="health"] a');
  await page.waitForFunction(() => window.location.hash.includes('assignedTo=health'));
  await ready(page, 'findings');
  expect(await page.$$eval('#table-findings tbody tr', (rows) => rows.map((r) => r.getAttribute('data-key')))).toEqual([open[1]!.id]);
  expect(office.problems.filter((m) => !/Failed to load resource: the server responded with a status of 404/.test(m))).toEqual([]);
});
