import type { Database } from '../../src/db/database';
import { runConnector } from '../../src/ingest/syncRunner';
import { civilAffairs } from '../../connectors/civil-affairs';
import { startCivilAffairsRegistry } from '../../src/simulator/civilAffairsRegistry';
import { describeConnectorContract } from '../support/connectorContract';
import { readJsonl, truthModel, truthQuarantine } from '../support/samples';

const households = readJsonl('api/civil-affairs/households.jsonl');
const grants = readJsonl('api/civil-affairs/grants.jsonl');
const registrations = readJsonl('api/civil-affairs/registries.jsonl');
const model = truthModel();

let db: Database & { drop(): Promise<void> };

async function sync(source: string) {
  return runConnector(db, civilAffairs, { source, pageSize: 7 });
}

const byRecordAndPerson = (a: any, b: any) => (a.record_key + a.id_number).localeCompare(b.record_key + b.id_number);
const rowsOf = (sql: string) => async (on: Database) => (await on.pool.query(sql)).rows;

// small pages so that a sync spans many batches, bookmarks and versions split across pages
const synced = describeConnectorContract(civilAffairs, {
  source: async () => {
    const started = await startCivilAffairsRegistry({ households, grants, registrations });
    return { config: { source: started.url, pageSize: 7 }, close: () => started.close() };
  },
  read: households.length + grants.length + registrations.length,
  records: {
    'exactly the civil-affairs households of the truth, one per head': {
      actual: async (on) => (await rowsOf(`select p.id_number from household h join person p on p.id = h.head_person_id order by 1`)(on)).map((r) => r.id_number),
      expected: () => model.ca_households.map((h: any) => h.head).sort(),
    },
    'the members of the newest version of each household, with normalised relation codes': {
      actual: rowsOf(
        `select m.record_key, p.id_number, m.relation_code from membership m join person p on p.id = m.person_id
          where m.retired_at is null and m.valid_to is null order by 1, 2`,
      ),
      expected: () =>
        model.ca_households
          .filter((h: any) => !h.deleted)
          .flatMap((h: any) => h.members.map((m: any) => ({ record_key: h.hh_id, id_number: m.id, relation_code: m.rel })))
          .sort(byRecordAndPerson),
    },
    'the enrollments of the newest versions as benefits, amounts exact': {
      actual: rowsOf(
        `select b.record_key, b.programme_code, b.valid_from, b.valid_to, b.amount, b.support_mode
           from benefit b where b.retired_at is null and b.record_key like 'MZ-%' and b.programme_code <> 'TK'
          order by 1, 2, 3`,
      ),
      expected: () =>
        model.ca_households
          .filter((h: any) => !h.deleted)
          .flatMap((h: any) =>
            h.enrollments
              .filter((e: any) => e.prog !== 'TK')
              .map((e: any) => ({ record_key: h.hh_id, programme_code: e.prog, valid_from: e.start, valid_to: e.end, amount: e.amount, support_mode: e.gyfs })),
          )
          .sort((a: any, b: any) => `${a.record_key}|${a.programme_code}|${a.valid_from}`.localeCompare(`${b.record_key}|${b.programme_code}|${b.valid_from}`)),
    },
    'a person-level TK benefit of each supported TK member': {
      actual: rowsOf(
        `select b.record_key, p.id_number from benefit b join person p on p.id = b.person_id
          where b.retired_at is null and b.programme_code = 'TK' order by 1, 2`,
      ),
      expected: () =>
        model.ca_households
          .filter((h: any) => !h.deleted)
          .flatMap((h: any) => h.enrollments.filter((e: any) => e.prog === 'TK').flatMap((e: any) => e.tk.map((id: string) => ({ record_key: h.hh_id, id_number: id }))))
          .sort(byRecordAndPerson),
    },
  },
  quarantined: truthQuarantine('civil-affairs')
    .map((q) => ({ record_key: q.key, reason: q.reason }))
    .sort((a, b) => a.record_key.localeCompare(b.record_key)),
});

beforeAll(() => {
  db = synced.db;
});

describe('syncing the civil-affairs sample feed', () => {
  it('holds exactly the civil-affairs persons of the truth, with sex and birth date from the ID number', async () => {
    const expected = new Set<string>();
    for (const h of model.ca_households) {
      expected.add(h.head);
      for (const m of h.members) expected.add(m.id);
    }
    for (const g of model.grants) expected.add(g.id);
    for (const r of model.registries) expected.add(r.id);
    const { rows } = await db.pool.query('select id_number, sex, birth_date from person order by id_number');
    expect(rows.map((r) => r.id_number)).toEqual([...expected].sort());
    for (const r of rows) {
      expect({ sex: r.sex, birth: r.birth_date }).toEqual({ sex: model.persons[r.id_number].sex, birth: model.persons[r.id_number].birth });
    }
  });

  it('keeps each quarantined record’s key among the values of its raw payload', async () => {
    const { rows } = await db.pool.query(`select record_key, raw from quarantined_record order by record_key`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(Object.values(r.raw)).toContain(r.record_key);
  });

  it('keeps the households delivered as deleted, with every fact ended on the deletion date', async () => {
    const deleted = model.ca_households.filter((h: any) => h.deleted);
    expect(deleted.length).toBeGreaterThan(0);
    const { rows } = await db.pool.query(
      `select count(*)::int as open from membership where record_key = any($1) and retired_at is null and valid_to is null`,
      [deleted.map((h: any) => h.hh_id)],
    );
    expect(rows[0].open).toBe(0);
  });
});

describe('a newer version of a household', () => {
  it('ends the dropped member and enrollment on the date of that version, keeping the old facts as history', async () => {
    const original = households.find(
      (h) => h.hh_id === 'MZ-371003-000008',
    );
    expect(original.members.length).toBeGreaterThan(2);
    const dropped = original.members[original.members.length - 1];
    const newer = {
      ...original,
      members: original.members.slice(0, -1),
      enrollments: [],
      updated_at: '2026-11-20T09:15:00+08:00',
    };
    const before = await db.pool.query(`select count(*)::int as n from membership where record_key = $1`, [original.hh_id]);
    const changed = await startCivilAffairsRegistry({ households: [...households, newer], grants, registrations });
    try {
      const run = await sync(changed.url);
      expect(run.status).toBe('SUCCEEDED');
      expect(run.updated).toBe(1);
      expect(run.ended).toBe(1 + original.enrollments.length);
    } finally {
      await changed.close();
    }
    const member = await db.pool.query(
      `select m.valid_to from membership m join person p on p.id = m.person_id
        where m.record_key = $1 and p.id_number = $2 and m.retired_at is null`,
      [original.hh_id, dropped.sfzh.trim().toUpperCase()],
    );
    expect(member.rows).toEqual([{ valid_to: '2026-11-20' }]);
    const enrollments = await db.pool.query(
      `select programme_code, valid_to from benefit where record_key = $1 and retired_at is null`,
      [original.hh_id],
    );
    expect(enrollments.rows.map((r) => r.valid_to)).toEqual(original.enrollments.map(() => '2026-11-20'));
    const stillListed = await db.pool.query(
      `select count(*)::int as n from membership where record_key = $1 and retired_at is null and valid_to is null`,
      [original.hh_id],
    );
    expect(stillListed.rows[0].n).toBe(original.members.length - 1);
    const after = await db.pool.query(`select count(*)::int as n from membership where record_key = $1`, [original.hh_id]);
    // the retired row stays beside its ended successor: nothing is overwritten or deleted
    expect(after.rows[0].n).toBe(before.rows[0].n + 1);
  });
});
