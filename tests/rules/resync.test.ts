/**
 * A source record changes and civil-affairs is synced again: the rules evaluated after the sync
 * open or clear exactly the findings the change affects — with evidence pointing at the new
 * version — and leave every other finding as it was. A finding the office decided keeps its
 * decision, whether its condition stops holding or holds again.
 *
 * The changes are new versions (a later `updated_at`) of three 临时救助/孤儿 grants of the sample set:
 * - GE-2024-000001: the orphan allowance of 371002202101222933 ends the day before their SW
 *   allowance starts — the GE+SW overlap of D2 is gone (the finding is CLEARED);
 * - LS-2026-000009: the temporary assistance of 371083196510304542, paid on the day they died,
 *   is corrected to a payment eight days later — a payment after death, D3 (iii), OPENs;
 * - LS-2026-000006: the second LS grant of 2026 to the household headed by 371082197812113117
 *   gets the leading group's approval reference — its D1 (a) finding, CONFIRMED by the office,
 *   stops holding (resolved beside the decision); a later version without it makes it hold again.
 */
import { connectors } from '../../connectors';
import type { Database } from '../../src/db/database';
import { runConnector, type SyncSummary } from '../../src/ingest/syncRunner';
import { ruleCatalogue } from '../../src/rules/catalogue';
import { runRules, type RulesRun } from '../../src/rules/engine/runRules';
import { touchedScope } from '../../src/rules/engine/touchedScope';
import { reviewFindings } from '../../src/rules/review';
import { CivilAffairsData, type RunningRegistry, startCivilAffairsRegistry } from '../../src/simulator/civilAffairsRegistry';
import { openTestDatabase } from '../support/hubDatabase';
import { loadSampleSet, SAMPLE_AS_OF } from '../support/sampleHub';
import { readJsonl } from '../support/samples';

jest.setTimeout(180_000);

const opts = { asOf: SAMPLE_AS_OF, city: '3710' };
const grants: any[] = readJsonl('api/civil-affairs/grants.jsonl');

const DUAL_ORPHAN = 'D2|person|371002202101222933|GE+SW';
const PAID_AFTER_DEATH = 'D3|person|371083196510304542';
const REPEAT_GRANT = 'D1|household|371082197812113117|a|2026-09-23';

/** Later than every version of the sample set (its newest is 2026-10-31T16:49:50+08:00). */
const CORRECTED_AT = '2026-10-31T18:00:00+08:00';
const WITHDRAWN_AT = '2026-10-31T19:00:00+08:00';

function grant(id: string): any {
  const found = grants.find((g) => g.grant_id === id);
  if (!found) throw new Error(`no grant ${id} in the samples`);
  return found;
}

interface FindingState {
  id: string;
  identity: string;
  status: string;
  resolved: boolean;
  clauses: string[];
  evidence: Array<{ feed: string; stream: string; recordKey: string; versionAt: string | null }>;
}

let db: Database & { drop(): Promise<void> };
let registry: RunningRegistry;
let data: CivilAffairsData;

async function findings(): Promise<Map<string, FindingState>> {
  const { rows } = await db.pool.query<FindingState>(`select id, identity, status, resolved, clauses, evidence from finding order by identity`);
  return new Map(rows.map((r) => [r.identity, r]));
}

async function syncCivilAffairs(): Promise<SyncSummary> {
  const run = await runConnector(db, connectors['civil-affairs'], { source: registry.url } as any, { asOf: SAMPLE_AS_OF });
  expect([run.status, run.error]).toEqual(['SUCCEEDED', null]);
  return run;
}

/** The rules over what the sync touched only (as the hub re-evaluates after a sync). */
async function reevaluate(run: SyncSummary): Promise<RulesRun> {
  const scope = await touchedScope(db.pool, [run.runId]);
  return runRules(db.pool, ruleCatalogue, { ...opts, scope });
}

const unchanged = (f: FindingState) => ({ id: f.id, identity: f.identity, status: f.status, resolved: f.resolved, clauses: f.clauses, evidence: f.evidence });
const grantEvidence = (f: FindingState, id: string) => f.evidence.find((e) => e.feed === 'civil-affairs' && e.stream === 'grants' && e.recordKey === id);

let first: Map<string, FindingState>;

beforeAll(async () => {
  db = await openTestDatabase();
  const syncs = await loadSampleSet(db);
  expect(syncs.filter((s) => s.status !== 'SUCCEEDED')).toEqual([]);
  // the same civil-affairs records, from a registry of the test's own that later versions can be added to
  data = new CivilAffairsData({
    households: readJsonl('api/civil-affairs/households.jsonl'),
    grants,
    registrations: readJsonl('api/civil-affairs/registries.jsonl'),
  });
  registry = await startCivilAffairsRegistry({ data });
  await runRules(db.pool, ruleCatalogue, opts);
  const decided = (await findings()).get(REPEAT_GRANT)!;
  await reviewFindings(db.pool, { ids: [decided.id], decision: 'CONFIRM', reason: 'paid twice in 2026 without approval', decidedBy: 'office-test' });
  first = await findings();
});

afterAll(async () => {
  await registry?.close();
  await db?.drop();
});

describe('changed civil-affairs grants, synced again, then the rules over what the sync touched', () => {
  let run: RulesRun;
  let after: Map<string, FindingState>;

  beforeAll(async () => {
    const orphan = grant('GE-2024-000001');
    const allowance = grant('SW-2025-000001');
    const ended = new Date(Date.parse(`${allowance.ksrq}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    data.grants.add([
      { ...orphan, zzrq: ended, updated_at: CORRECTED_AT },
      { ...grant('LS-2026-000009'), ffrq: '2026-07-20', updated_at: CORRECTED_AT },
      { ...grant('LS-2026-000006'), ldxz_pzwh: '威救领〔2026〕17号', updated_at: CORRECTED_AT },
    ]);
    const sync = await syncCivilAffairs();
    expect(sync.updated).toBe(3);
    run = await reevaluate(sync);
    after = await findings();
  });

  it('starts from the findings the changes are about', () => {
    expect(first.get(DUAL_ORPHAN)?.status).toBe('OPEN');
    expect(first.get(REPEAT_GRANT)?.status).toBe('CONFIRMED');
    expect(first.has(PAID_AFTER_DEATH)).toBe(false);
  });

  it('clears the dual benefit that no longer overlaps', () => {
    expect(after.get(DUAL_ORPHAN)).toEqual(expect.objectContaining({ id: first.get(DUAL_ORPHAN)!.id, status: 'CLEARED' }));
  });

  it('opens the payment after death, with the evidence of the corrected version of the grant', () => {
    const opened = after.get(PAID_AFTER_DEATH)!;
    expect(opened).toEqual(expect.objectContaining({ status: 'OPEN', clauses: ['iii'] }));
    expect(Date.parse(grantEvidence(opened, 'LS-2026-000009')!.versionAt!)).toBe(Date.parse(CORRECTED_AT));
  });

  it('keeps the office\'s decision on the repeat grant now approved, marking it resolved', () => {
    expect(after.get(REPEAT_GRANT)).toEqual(expect.objectContaining({ id: first.get(REPEAT_GRANT)!.id, status: 'CONFIRMED', resolved: true }));
  });

  it('leaves every other finding with its id, status and evidence', () => {
    const changed = [DUAL_ORPHAN, PAID_AFTER_DEATH, REPEAT_GRANT];
    const others = (m: Map<string, FindingState>) => [...m.values()].filter((f) => !changed.includes(f.identity)).map(unchanged);
    expect(others(after)).toEqual(others(first));
    expect(others(after).length).toBeGreaterThan(80);
  });

  it('counts, per rule, the finding opened, the one cleared and the decided one resolved', () => {
    // the decided repeat grant (D1) is resolved, not cleared: its decision stays
    const moved = run.outcomes
      .filter((o) => o.opened || o.cleared || o.resolved)
      .map((o) => ({ rule: o.rule, opened: o.opened, cleared: o.cleared, resolved: o.resolved }));
    expect(moved.sort((a, b) => (a.rule < b.rule ? -1 : 1))).toEqual([
      { rule: 'D1', opened: 0, cleared: 0, resolved: 1 },
      { rule: 'D2', opened: 0, cleared: 1, resolved: 0 },
      { rule: 'D3', opened: 1, cleared: 0, resolved: 0 },
    ]);
  });

  it('is what a full run finds: a full run afterwards changes nothing', async () => {
    const full = await runRules(db.pool, ruleCatalogue, opts);
    expect(full.outcomes.filter((o) => o.opened || o.cleared || o.resolved)).toEqual([]);
    expect([...(await findings()).values()].map(unchanged)).toEqual([...after.values()].map(unchanged));
  });
});

describe('the approval reference withdrawn again by a later version', () => {
  let before: Map<string, FindingState>;
  let after: Map<string, FindingState>;

  beforeAll(async () => {
    before = await findings();
    data.grants.add([{ ...grant('LS-2026-000006'), ldxz_pzwh: null, updated_at: WITHDRAWN_AT }]);
    await reevaluate(await syncCivilAffairs());
    after = await findings();
  });

  it('does not reopen the decided finding: it keeps its id and the CONFIRMED decision, no longer resolved', () => {
    const decided = after.get(REPEAT_GRANT)!;
    expect(decided).toEqual(expect.objectContaining({ id: first.get(REPEAT_GRANT)!.id, status: 'CONFIRMED', resolved: false }));
    expect(Date.parse(grantEvidence(decided, 'LS-2026-000006')!.versionAt!)).toBe(Date.parse(WITHDRAWN_AT));
  });

  it('changes no other finding', () => {
    const others = (m: Map<string, FindingState>) => [...m.values()].filter((f) => f.identity !== REPEAT_GRANT).map(unchanged);
    expect(others(after)).toEqual(others(before));
  });
});
