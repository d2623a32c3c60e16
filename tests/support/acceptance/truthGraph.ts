/**
 * The sample set's truth (tests/fixtures/samples/truth) read as views of the graph: for each
 * fact table and feed, the columns the truth states, from the truth and from a graph dump alike,
 * so that the two compare line by line. Persons, households and quarantined records likewise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { samplesDir, truthModel } from '../samples';
import type { GraphDump } from './graphDump';

const model = truthModel();

/** the day the truth is computed for */
export const TRUTH_AS_OF: string = model.as_of;

export const truthSummary = JSON.parse(fs.readFileSync(path.join(samplesDir, 'truth', 'summary.json'), 'utf8'));

type Row = Record<string, any>;

/** rules.md "Programmes" */
const EDUCATION_PROGRAMME: Record<string, string> = {
  学前资助: 'JY_PRESCHOOL', 义务教育生活补助: 'JY_LIVING', 国家助学金: 'JY_GRANT', 免学费: 'JY_FREE', 生源地贷款: 'JY_LOAN',
};
const HOUSING_PROGRAMME: Record<string, string> = { 实物配租: 'ZF_FLAT', 租赁补贴: 'ZF_RENT' };

/** numeric(18,2) as the database gives it back */
const twoDecimals = (v: string) => {
  const plain = v.replace(/,/g, '');
  return plain.includes('.') ? plain : `${plain}.00`;
};

/** A JSON line with sorted keys: the same fact reads the same whatever order its columns came in. */
function line(o: Row): string {
  return JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))));
}

interface View {
  name: string;
  table: string;
  feed: string;
  /** which current facts of the table and feed this view covers */
  covers?: (f: Row) => boolean;
  /** a fact of the graph in the truth's terms */
  fromGraph: (f: Row) => Row;
  /** the facts of the truth */
  fromTruth: () => Row[];
}

const liveHouseholds = () => model.ca_households.filter((h: Row) => !h.deleted);

const VIEWS: View[] = [
  {
    name: 'civil-affairs household',
    table: 'household_record',
    feed: 'civil-affairs',
    fromGraph: (f) => ({ record_key: f.record_key, head: f.household, region: f.region_code, hjxz: f.registration_type, end: f.valid_to }),
    fromTruth: () => liveHouseholds().map((h: Row) => ({ record_key: h.hh_id, head: h.head, region: h.qhdm, hjxz: h.hjxz, end: null })),
  },
  {
    name: 'civil-affairs member',
    table: 'membership',
    feed: 'civil-affairs',
    fromGraph: (f) => ({ record_key: f.record_key, head: f.household, id: f.person, rel: f.relation_code, zlnl: f.self_care, end: f.valid_to }),
    fromTruth: () =>
      liveHouseholds().flatMap((h: Row) =>
        h.members.map((m: Row) => ({ record_key: h.hh_id, head: h.head, id: m.id, rel: m.rel, zlnl: m.zlnl, end: null })),
      ),
  },
  {
    name: 'civil-affairs enrollment',
    table: 'benefit',
    feed: 'civil-affairs',
    covers: (f) => f.record_key.startsWith('MZ-'),
    fromGraph: (f) => ({
      record_key: f.record_key, head: f.household, id: f.person, prog: f.programme_code, amount: f.amount, start: f.valid_from,
      end: f.valid_to, gyfs: f.support_mode, spjb: f.approval_level,
    }),
    fromTruth: () =>
      liveHouseholds().flatMap((h: Row) =>
        h.enrollments.flatMap((e: Row) =>
          (e.prog === 'TK' ? e.tk : [null]).map((id: string | null) => ({
            record_key: h.hh_id, head: h.head, id, prog: e.prog, amount: e.amount, start: e.start, end: e.end, gyfs: e.gyfs, spjb: e.spjb,
          })),
        ),
      ),
  },
  {
    name: 'civil-affairs grant',
    table: 'benefit',
    feed: 'civil-affairs',
    covers: (f) => !f.record_key.startsWith('MZ-'),
    fromGraph: (f) => ({
      grant_id: f.record_key, id: f.person, prog: f.programme_code, amount: f.amount, date: f.paid_on, spjb: f.approval_level,
      pzwh: f.approval_ref, qhdm: f.region_code, start: f.valid_from, end: f.valid_to,
    }),
    fromTruth: () =>
      model.grants
        .filter((g: Row) => !g.deleted)
        .map((g: Row) => ({
          grant_id: g.grant_id, id: g.id, prog: g.prog, amount: g.amount, date: g.date, spjb: g.spjb, pzwh: g.pzwh, qhdm: g.qhdm,
          // a one-off grant's period is its payment day
          start: g.prog === 'LS' ? g.date : g.start, end: g.prog === 'LS' ? g.date : g.end,
        })),
  },
  {
    name: 'civil-affairs registration',
    table: 'registration',
    feed: 'civil-affairs',
    fromGraph: (f) => ({ reg_id: f.record_key, id: f.person, lb: f.category, qhdm: f.region_code, start: f.valid_from, end: f.valid_to }),
    fromTruth: () => model.registries.map((r: Row) => ({ reg_id: r.reg_id, id: r.id, lb: r.lb, qhdm: r.qhdm, start: r.start, end: r.end })),
  },
  {
    name: 'education schooling',
    table: 'schooling',
    feed: 'education',
    fromGraph: (f) => ({
      id: f.person, xjh: f.student_no, term: f.term, aid: f.aid, school: f.school, stage: f.stage, grade: f.grade, status: f.status, qhdm: f.region_code,
    }),
    fromTruth: () =>
      model.education.map((e: Row) => ({
        id: e.id, xjh: e.xjh, term: e.term, aid: e.aid, school: e.school, stage: e.stage, grade: e.grade, status: e.status, qhdm: e.qhdm,
      })),
  },
  {
    name: 'education aid',
    table: 'benefit',
    feed: 'education',
    fromGraph: (f) => ({ id: f.person, prog: f.programme_code, amount: f.amount, term: f.details?.term ?? null, start: f.valid_from, end: f.valid_to }),
    fromTruth: () =>
      model.education
        .filter((e: Row) => e.aid)
        .map((e: Row) => ({ id: e.id, prog: EDUCATION_PROGRAMME[e.aid], amount: e.amount, term: e.term, start: null, end: null })),
  },
  {
    name: 'health settlement',
    table: 'medical_settlement',
    feed: 'health',
    fromGraph: (f) => ({
      jsid: f.record_key, id: f.person, date: f.settled_on, zfy: f.total_cost, ybbx: f.insurance_paid, yljz: f.assistance_paid,
      grzf: f.out_of_pocket, jbzd: f.diagnosis, catastrophic: f.catastrophic,
    }),
    fromTruth: () =>
      model.settlements.map((s: Row) => ({
        jsid: s.jsid, id: s.id, date: s.date, zfy: s.zfy, ybbx: s.ybbx, yljz: s.yljz, grzf: s.grzf, jbzd: s.jbzd, catastrophic: s.dbbz === '1',
      })),
  },
  {
    name: 'health medical assistance',
    table: 'benefit',
    feed: 'health',
    fromGraph: (f) => ({ jsid: f.record_key, id: f.person, prog: f.programme_code, amount: f.amount, date: f.paid_on, start: f.valid_from, end: f.valid_to }),
    fromTruth: () =>
      model.settlements
        .filter((s: Row) => /[1-9]/.test(s.yljz ?? ''))
        .map((s: Row) => ({ jsid: s.jsid, id: s.id, prog: 'YLJZ', amount: s.yljz, date: s.date, start: s.date, end: s.date })),
  },
  {
    name: 'health death',
    table: 'death_record',
    feed: 'health',
    fromGraph: (f) => ({ swzmbh: f.record_key, id: f.person, date: f.died_on, qhdm: f.region_code }),
    fromTruth: () => model.deaths.map((d: Row) => ({ swzmbh: d.swzmbh, id: d.id, date: d.date, qhdm: d.qhdm })),
  },
  {
    name: 'housing public housing',
    table: 'benefit',
    feed: 'housing',
    covers: (f) => f.programme_code !== 'WF',
    fromGraph: (f) => ({
      id: f.person, head: f.household, prog: f.programme_code, amount: f.amount, start: f.valid_from, end: f.valid_to, qhdm: f.region_code,
      family_size: f.details?.family_size ?? null, address: f.details?.address ?? null,
    }),
    fromTruth: () =>
      model.housing_bzf.map((b: Row) => ({
        id: b.id, head: b.id, prog: HOUSING_PROGRAMME[b.mode], amount: b.amount, start: b.start, end: b.end, qhdm: b.qhdm,
        family_size: b.family_size, address: b.address,
      })),
  },
  {
    name: 'housing dangerous-house subsidy',
    table: 'benefit',
    feed: 'housing',
    covers: (f) => f.programme_code === 'WF',
    fromGraph: (f) => ({ head: f.household, amount: f.amount }),
    fromTruth: () => model.housing_wf.filter((w: Row) => w.amount).map((w: Row) => ({ head: w.id, amount: w.amount })),
  },
  {
    name: 'housing dangerous house',
    table: 'dangerous_house',
    feed: 'housing',
    fromGraph: (f) => ({ id: f.person, grade: f.rating, date: f.assessed_on, status: f.renovation_status, amount: f.subsidy, qhdm: f.region_code, end: f.valid_to }),
    fromTruth: () =>
      model.housing_wf.map((w: Row) => ({ id: w.id, grade: w.grade, date: w.date, status: w.status, amount: w.amount, qhdm: w.qhdm, end: null })),
  },
  {
    name: 'poverty-relief member',
    table: 'membership',
    feed: 'poverty-relief',
    fromGraph: (f) => ({ head: f.household, id: f.person, rel: f.relation_code, end: f.valid_to }),
    fromTruth: () => model.poverty.map((p: Row) => ({ head: p.head, id: p.id, rel: p.rel, end: null })),
  },
  {
    name: 'poverty-relief record',
    table: 'poverty_record',
    feed: 'poverty-relief',
    fromGraph: (f) => ({
      hbh: f.household_no, head: f.household, id: f.person, income: f.income_per_capita, monitor: f.monitoring_type, qhdm: f.region_code,
      rel: f.relation_code, risk: f.main_risk, tp: f.poverty_status, year: f.identified_year, snapshot: f.snapshot_date, end: f.valid_to,
    }),
    fromTruth: () =>
      model.poverty.map((p: Row) => ({
        hbh: p.hbh, head: p.head, id: p.id, income: p.income, monitor: p.monitor, qhdm: p.qhdm, rel: p.rel, risk: p.risk, tp: p.tp,
        year: p.year, snapshot: model.poverty_snapshot, end: null,
      })),
  },
  {
    name: 'disability certificate',
    table: 'disability_certificate',
    feed: 'disability',
    fromGraph: (f) => ({
      cert: f.certificate_no, key: f.record_key, id: f.person, category: f.category, grade: f.grade, status: f.status, qhdm: f.region_code,
      issue: f.valid_from, valid_until: f.valid_to,
    }),
    fromTruth: () =>
      model.disability.map((d: Row) => ({
        cert: d.cert, key: d.cert, id: d.id, category: d.category, grade: d.grade, status: d.status, qhdm: d.qhdm, issue: d.issue, valid_until: d.valid_until,
      })),
  },
  {
    name: 'disability subsidy',
    table: 'benefit',
    feed: 'disability',
    fromGraph: (f) => ({ cert: f.record_key, item: f.item_key, id: f.person, prog: f.programme_code, amount: f.amount, start: f.valid_from, end: f.valid_to }),
    fromTruth: () =>
      model.disability.flatMap((d: Row) =>
        d.subsidies.map((s: Row) => ({
          cert: d.cert, item: `${s.type}|${s.start}`, id: d.id, prog: `CJ_${s.type}`, amount: s.amount, start: s.start, end: s.end,
        })),
      ),
  },
  {
    name: 'economic fact',
    table: 'economic_fact',
    feed: 'economic-check',
    fromGraph: (f) => ({ key: f.record_key, id: f.person, source: f.source, item: f.item, value: f.value, unit: f.unit, as_of: f.as_of }),
    fromTruth: () =>
      model.econ.map((e: Row) => ({
        key: `${e.id}|${e.source}|${e.item}|${e.as_of}`, id: e.id, source: e.source, item: e.item, value: twoDecimals(e.value), unit: e.unit, as_of: e.as_of,
      })),
  },
  {
    name: 'region figures',
    table: 'region_stat',
    feed: 'region-stats',
    fromGraph: (f) => ({
      code: f.region_code, year: f.year, pop: f.residents, households: f.households, staff: f.staff, coordinators: f.coordinators,
      reserve: f.reserve_fund, backup: f.backup_fund,
    }),
    fromTruth: () =>
      model.region_stats.map((r: Row) => ({
        code: r.code, year: r.year, pop: r.pop, households: r.households, staff: r.staff, coordinators: r.coordinators, reserve: r.reserve, backup: r.backup,
      })),
  },
];

export type TruthView = {
  persons: string[];
  households: string[];
  quarantined: string[];
  facts: Record<string, string[]>;
};

/** What the truth says the graph holds, leaving out the feeds named (e.g. a check made as of another day). */
export function expectedByTruth(without: readonly string[] = []): TruthView {
  const facts: Record<string, string[]> = {};
  for (const v of VIEWS) {
    if (without.includes(v.feed)) continue;
    (facts[v.name] ??= []).push(...v.fromTruth().map((o) => line(o)));
  }
  const quarantine = JSON.parse(fs.readFileSync(path.join(samplesDir, 'truth', 'quarantine.json'), 'utf8')).feeds as Record<string, Row[]>;
  return {
    persons: Object.entries(model.persons as Record<string, Row>).map(([id, p]) => line({ id, name: p.name, sex: p.sex, birth: p.birth })),
    households: [...new Set<string>([
      ...model.ca_households.map((h: Row) => h.head), ...model.poverty.map((p: Row) => p.head), ...model.housing_bzf.map((b: Row) => b.id),
    ])],
    quarantined: Object.entries(quarantine)
      .filter(([feed]) => !without.includes(feed))
      .flatMap(([feed, list]) => list.map((q) => line({ connector: feed, key: q.key, reason: q.reason }))),
    facts,
  };
}

/** The same view of a graph dump; a fact no view covers is listed under `unexplained`. */
export function viewOfGraph(dump: GraphDump, without: readonly string[] = []): TruthView {
  const facts: Record<string, string[]> = {};
  for (const [table, rows] of Object.entries(dump.facts)) {
    for (const text of rows) {
      const f = JSON.parse(text) as Row;
      if (without.includes(f.feed)) continue;
      const v = VIEWS.find((c) => c.table === table && c.feed === f.feed && (!c.covers || c.covers(f)));
      if (v) (facts[v.name] ??= []).push(line(v.fromGraph(f)));
      else (facts.unexplained ??= []).push(`${table} ${text}`);
    }
  }
  return {
    persons: dump.persons.map((p) => line({ id: p.id_number, name: p.name, sex: p.sex, birth: p.birth_date })),
    households: dump.households,
    quarantined: dump.quarantined
      .map((q) => JSON.parse(q) as Row)
      .filter((q) => !without.includes(q.connector))
      .map((q) => line({ connector: q.connector, key: q.record_key, reason: q.reason })),
    facts,
  };
}
