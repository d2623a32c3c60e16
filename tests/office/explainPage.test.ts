import type { Browser } from 'playwright-core';
import { startSampleAuthHub, type SampleAuthHub } from '../auth/sampleAuthHub';
import { launchChromium, screenshot, show, signIn, tableText, type PageSession } from './pageBrowser';

/**
 * issue 17 item 4 on the office's page, in a real browser over the sample city: a finding's view
 * shows why it holds — each condition of the rule with ✔ or ✘, its Chinese sentence, the outcome
 * as a caseworker says it, the values, parameter rows and records — exactly as GraphQL's
 * `Finding.explanation` gives it, to the office and to the town the finding lies in.
 */
let h: SampleAuthHub;
let browser: Browser;
let office: PageSession;
let g2: { id: string; county: string };

const EXPLANATION = `query ($id: ID!) { finding(id: $id) { explanation { holds clauses conditions { name text holds said values parameters { name value } evidence { feed recordKey } } } } }`;

beforeAll(async () => {
  [h, browser] = await Promise.all([startSampleAuthHub(), launchChromium()]);
  [g2] = (await h.db.pool.query(`select f.id::text, left(f.region_code, 6) as county from finding f where f.rule = 'G2'`)).rows;
  expect(g2).toBeDefined();
  office = await signIn(browser, h.hub.directUrl, await h.hub.tokenFor({ role: 'OFFICE', label: '市办公室 王敏' }));
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** The explanation table as a caseworker reads it: mark, sentence, outcome. */
async function shownConditions(page: PageSession['page']) {
  const rows = await page.$$eval('#table-explanation tbody tr', (trs) =>
    trs.map((tr) => ({
      name: tr.getAttribute('data-key'),
      mark: tr.querySelector('td.mark')!.textContent,
      text: tr.querySelector('td.condition .text')!.textContent,
      said: tr.querySelector('td.said')!.textContent,
    })),
  );
  return rows;
}

test('the G2 finding’s view says why it holds: four conditions ✔ in Chinese, with what was found', async () => {
  const { page } = office;
  await show(page, `#finding/${g2.id}`, 'finding');
  const api = (await h.hub.graphql(EXPLANATION, { id: g2.id })).data.finding.explanation;
  expect(await page.textContent('#explanation-summary')).toBe('截至 2026-10-31，4 项条件中 4 项成立：规则成立。');
  const shown = await shownConditions(page);
  expect(shown).toEqual(api.conditions.map((c: any) => ({ name: c.name, mark: '✔', text: c.text, said: c.said ?? '成立' })));
  expect(shown.map((c) => c.text)).toEqual([
    '持有有效的残疾人证（任一等级，d 日在有效期内）', '是低保或特困人员（d 日）', '没有正在发放的残疾人生活补贴（CJ_LIVING，d 日有效）', '在世（d 日及之前没有死亡记录）',
  ]);
  expect(shown[1]!.said).toMatch(/^是(低保|特困)/);
  // the records each condition used, by feed and key
  const records = (await tableText(page, 'table-explanation')).map((r) => r[5]);
  expect(records[0]).toContain(`disability · persons · ${api.conditions[0].evidence[0].recordKey}`);
  expect(records[1]).toContain('civil-affairs · households');
  await screenshot(page, 'office-finding-explanation');
});

test('a finding whose rule holds by one clause shows the other clauses’ conditions ✘, as GraphQL gives them', async () => {
  const { page } = office;
  const list = await h.hub.graphql(`{ findings(first: 100) { edges { node { id rule explanation { holds conditions { name holds said } } } } } }`);
  expect(list.errors).toBeUndefined();
  const mixed = list.data.findings.edges.map((e: any) => e.node).find((f: any) => f.explanation?.holds && f.explanation.conditions.some((c: any) => !c.holds));
  expect(mixed).toBeDefined();
  await show(page, `#finding/${mixed.id}`, 'finding');
  const shown = await shownConditions(page);
  expect(shown.map((c) => [c.name, c.mark])).toEqual(mixed.explanation.conditions.map((c: any) => [c.name, c.holds ? '✔' : '✘']));
  expect(shown.some((c) => c.mark === '✘')).toBe(true);
  expect(await page.getAttribute('#explanation-summary', 'data-holds')).toBe('true');
  await screenshot(page, 'office-finding-explanation-clauses');
});

test('the town the finding lies in sees the same explanation on its page', async () => {
  const town = await signIn(browser, h.hub.directUrl, await h.hub.tokenFor({ role: 'TOWN', region: g2.county, label: '区民政局 李强' }));
  try {
    await show(town.page, `#finding/${g2.id}`, 'finding');
    expect(await shownConditions(town.page)).toEqual(await shownConditions(office.page).then(async () => {
      await show(office.page, `#finding/${g2.id}`, 'finding');
      return shownConditions(office.page);
    }));
    expect(town.problems.filter((m) => !/status of 404/.test(m))).toEqual([]);
  } finally {
    await town.context.close();
  }
  expect(office.problems.filter((m) => !/status of 404/.test(m))).toEqual([]);
});
