import crypto from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { COPY_NULL, copyField, copyInto, copyNewFacts, mergeFacts, mergeFactsCopying, type RecordFacts, type RecordScope } from './factMerge';
import { BY_FEED_PRECEDENCE } from './personPrecedence';
import type { Delivery, FactRow, FactTableName, MapResult, MappedRecord, PersonObservation, Quarantine, SyncCounts } from './types';
import { zeroCounts } from './types';
import { feedHasBaseline, writeBatchEvents } from '../db/changeLog';
import { todayInShanghai } from '../identity';
import { type StageClock, timed, timedClient } from './stageClock';
import type { PageRange } from './connector';
import { type Delivered, deliveredSpanOf, storeDeliveries } from './deliveredContent';

/**
 * Applies one batch (a page, a chunk of a file) in one transaction: source record versions,
 * persons, households, facts, quarantine, the run's counters and the stream's bookmark. Either
 * all of it commits or none of it does, so a failed sync resumes after its last committed batch.
 */
export interface BatchTarget {
  connector: string;
  stream: string;
  syncRunId: string;
  /** the tables this stream states facts in: a table left out here is never ended by it */
  factTables: readonly FactTableName[];
  /** the day the run is for: the business date of the change log's events (default today) */
  asOf?: string;
  /** where the time goes (the benchmark's report) */
  clock?: StageClock;
}

export interface BatchInput {
  results: MapResult[];
  /** the stream's bookmark after this batch; saved in the same transaction */
  bookmark: unknown;
  /** file drops: the delivery this batch is part of */
  delivery?: Delivery;
  /** false: the caller writes the bookmark once every earlier batch has committed (ApplyWindow) */
  advanceBookmark?: boolean;
  /** the API pages these records came in (recorded with the batch, so that the same bytes next time are skipped) */
  pages?: PageRange[];
  /** records of pages skipped as applied before: counted as read, unchanged or quarantined as then */
  skipped?: { records: number; quarantined: number };
  /**
   * file drops: keys of rows left out before they were read because their bytes are those of the
   * key's current record (counted in `skipped`); listed as held by the delivery, as unchanged rows are
   */
  heldKeys?: string[];
}

export function payloadHash(raw: unknown): string {
  return crypto.createHash('sha1').update(JSON.stringify(raw)).digest('hex');
}

interface CurrentVersion {
  id: string;
  record_key: string;
  payload_hash: string;
  version_at: Date | null;
}

export async function applyBatch(pool: Pool, target: BatchTarget, input: BatchInput): Promise<SyncCounts> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const counts = await applyInTransaction(timedClient(client, target.clock), target, input);
    await client.query('commit');
    return counts;
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

async function applyInTransaction(client: PoolClient, target: BatchTarget, input: BatchInput): Promise<SyncCounts> {
  const now = new Date();
  const counts = zeroCounts();
  counts.read = input.results.length;
  const valid: MappedRecord[] = [];
  const refused: Quarantine[] = [];
  for (const r of input.results) (r.ok ? valid.push(r.record) : refused.push(r.quarantine));

  // The deliveries the batch's records and pages came in, stored once, in this transaction.
  const contents: Delivered[] = (input.pages ?? []).map((p) => p.content);
  for (const r of valid) {
    const span = deliveredSpanOf(r.raw);
    if (span) contents.push(span.content);
  }
  const contentIds = await storeDeliveries(client, contents, target.syncRunId);

  // A record delivered twice in one batch is applied version by version, oldest first.
  const seenKeys: string[] = [...(input.heldKeys ?? [])];
  for (const round of versionRounds(valid)) {
    const c = await applyRound(client, target, round, now, contentIds, seenKeys, input.delivery);
    counts.inserted += c.inserted;
    counts.updated += c.updated;
    counts.unchanged += c.unchanged;
    counts.ended += c.ended;
  }
  // A file delivery that holds a record again unchanged lists its key, one row per batch, instead
  // of updating the record (what the delivery neither wrote nor listed ends with its last batch).
  // An API page that sends a record again changes nothing and writes nothing.
  if (input.delivery && seenKeys.length) {
    await client.query(`insert into delivery_seen (feed, stream, delivery, keys) values ($1, $2, $3, $4::text[])`, [
      target.connector, target.stream, input.delivery.id, seenKeys,
    ]);
  }

  if (refused.length) {
    await client.query(
      `insert into quarantined_record (connector, stream, record_key, reason, field, value, location, raw, payload_hash, sync_run_id, received_at, last_received_at)
       select $1, $2, q.record_key, q.reason, q.field, q.value, q.location, q.raw, q.payload_hash, $3, $4, $4
         from jsonb_to_recordset($5::jsonb) as q(record_key text, reason text, field text, value text, location text, raw jsonb, payload_hash text)
       on conflict (connector, stream, payload_hash) do update set last_received_at = excluded.last_received_at, sync_run_id = excluded.sync_run_id`,
      [
        target.connector, target.stream, target.syncRunId, now,
        JSON.stringify(
          dedupeBy(refused.map((q) => ({
            record_key: q.recordKey, reason: q.reason, field: q.field ?? null, value: q.value ?? null,
            location: q.location ?? null, raw: q.raw, payload_hash: payloadHash({ location: q.location ?? null, raw: q.raw }),
          })), (q) => q.payload_hash),
        ),
      ],
    );
    counts.quarantined = refused.length;
  }

  if (input.delivery?.last) counts.ended += await endAbsentRecords(client, target, input.delivery, now);

  if (input.skipped) {
    counts.read += input.skipped.records;
    counts.quarantined += input.skipped.quarantined;
    counts.unchanged += input.skipped.records - input.skipped.quarantined;
  }
  if (input.pages?.length) {
    const pages = input.pages.map((p) => {
      const quarantined: number[] = [];
      for (let i = p.from; i < p.to; i++) if (!input.results[i]!.ok) quarantined.push(p.places ? p.places[i - p.from]! : i - p.from);
      return { address: p.address, content_id: contentIds.get(p.content.hex)!, records: p.total, quarantined };
    });
    await client.query(
      `insert into delivered_page (feed, stream, address, content_id, records, quarantined, applied_at)
       select $1, $2, p.address, p.content_id, p.records, p.quarantined, $3
         from jsonb_to_recordset($4::jsonb) as p(address text, content_id bigint, records int, quarantined int[])
       on conflict (feed, stream, address) do update set
         content_id = excluded.content_id, records = excluded.records, quarantined = excluded.quarantined, applied_at = excluded.applied_at`,
      [target.connector, target.stream, now, JSON.stringify(pages)],
    );
  }

  // The change log's events of this batch, in its transaction: they exist exactly when it commits.
  // A batch that changed no fact (every record unchanged, or a page skipped) has none to look for.
  const changedFacts = counts.inserted + counts.updated + counts.ended > 0;
  if (changedFacts && target.factTables.some((t) => t === 'benefit' || t === 'death_record') && (await feedHasBaseline(client, target.connector, target.syncRunId))) {
    await writeBatchEvents(client, target.connector, target.factTables, now, target.asOf ?? todayInShanghai());
  }

  if (input.advanceBookmark !== false) {
    await client.query(
      `insert into connector_bookmark (connector, stream, bookmark, sync_run_id, updated_at) values ($1, $2, $3, $4, $5)
       on conflict (connector, stream) do update set bookmark = excluded.bookmark, sync_run_id = excluded.sync_run_id, updated_at = excluded.updated_at`,
      [target.connector, target.stream, JSON.stringify(input.bookmark ?? {}), target.syncRunId, now],
    );
  }
  await client.query(
    `update sync_run set read = read + $2, inserted = inserted + $3, updated = updated + $4, unchanged = unchanged + $5,
            ended = ended + $6, quarantined = quarantined + $7, batches = batches + 1 where id = $1`,
    [target.syncRunId, counts.read, counts.inserted, counts.updated, counts.unchanged, counts.ended, counts.quarantined],
  );
  return counts;
}

function versionRounds(records: MappedRecord[]): MappedRecord[][] {
  const byKey = new Map<string, MappedRecord[]>();
  for (const r of records) {
    const list = byKey.get(r.recordKey);
    if (list) list.push(r);
    else byKey.set(r.recordKey, [r]);
  }
  const rounds: MappedRecord[][] = [];
  for (const list of byKey.values()) {
    // stable sort: equal version times keep their delivery order, the later delivery wins
    list.sort((a, b) => instant(a.versionAt) - instant(b.versionAt));
    list.forEach((r, i) => (rounds[i] ??= []).push(r));
  }
  return rounds;
}

function instant(iso: string | null): number {
  return iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY;
}

async function applyRound(
  client: PoolClient,
  target: BatchTarget,
  records: MappedRecord[],
  now: Date,
  contentIds: Map<string, string>,
  /** out: the keys of the records found unchanged */
  seenKeys: string[],
  delivery?: Delivery,
): Promise<SyncCounts> {
  const counts = zeroCounts();
  const current = await client.query<CurrentVersion>(
    `select id, record_key, payload_hash, version_at from source_record
      where feed = $1 and stream = $2 and record_key = any($3::text[]) and superseded_at is null`,
    [target.connector, target.stream, records.map((r) => r.recordKey)],
  );
  const currentByKey = new Map(current.rows.map((c) => [c.record_key, c]));

  const applied: Array<{ record: MappedRecord; hash: string; previous?: CurrentVersion }> = [];
  const stale: Array<{ record: MappedRecord; hash: string }> = [];
  const hashes = timed(target.clock, 'hash', () => records.map((r) => payloadHash(r.raw)));
  for (const [i, record] of records.entries()) {
    const hash = hashes[i]!;
    const cur = currentByKey.get(record.recordKey);
    if (cur && cur.payload_hash === hash) {
      seenKeys.push(record.recordKey);
      counts.unchanged++;
    } else if (cur && cur.version_at && record.versionAt && Date.parse(record.versionAt) < cur.version_at.getTime()) {
      // an older version delivered after a newer one: kept as history, changes nothing
      stale.push({ record, hash });
      counts.unchanged++;
    } else {
      applied.push({ record, hash, previous: cur });
      if (cur) counts.updated++;
      else counts.inserted++;
    }
  }

  if (stale.length) await insertSourceRecords(client, target, stale, now, true, contentIds, delivery);
  if (!applied.length) return counts;

  const superseded = applied.flatMap((a) => (a.previous ? [a.previous.id] : []));
  if (superseded.length) {
    await client.query(`update source_record set superseded_at = $2 where id = any($1::bigint[])`, [superseded, now]);
  }
  const inserted = await insertSourceRecords(client, target, applied, now, false, contentIds, delivery);
  const sourceIdByKey = new Map(inserted.map((r) => [r.record_key, r.id]));

  // Facts are COPYed with the ids resolved here (the people and households they name are looked
  // up once, with the batch's people): those of records seen for the first time straight (there
  // are no facts to compare them with), those of records seen before once the retire statement
  // has said which of their current facts stay (./factMerge.ts).
  const fresh = applied.filter((a) => !a.previous);
  const named = new Set<string>();
  const heads = new Set<string>();
  for (const a of applied) for (const h of a.record.households) heads.add(h);
  for (const a of applied) {
    if (a.record.deleted) continue;
    for (const table of target.factTables) {
      for (const f of a.record.facts[table] ?? []) {
        if (f.person_id_number != null) named.add(String(f.person_id_number));
        if (f.household_head != null) named.add(String(f.household_head));
      }
    }
  }
  const personIds = await upsertPersons(
    client, target.connector, applied.map((a) => ({ record: a.record, sourceId: sourceIdByKey.get(a.record.recordKey)! })), now, [...heads, ...named], target.clock,
  );
  const householdIds = await ensureHouseholds(client, [...heads].sort(), [...named], personIds);
  const resolved = { sources: sourceIdByKey, persons: personIds, households: householdIds };

  const seenBefore = fresh.length === applied.length ? [] : applied.filter((a) => a.previous);
  for (const table of target.factTables) {
    let merged = seenBefore;
    if (fresh.length && (await copyNewFacts(client, table, target.connector, freshFacts(fresh, table), resolved, now, target.clock)) === null) merged = applied;
    if (!merged.length) continue;
    const scope: RecordScope[] = merged.map((a) => ({
      record_key: a.record.recordKey,
      version_date: a.record.versionDate,
      source_record_id: sourceIdByKey.get(a.record.recordKey)!,
    }));
    const rows = factRows(merged, table, target.clock);
    const outcome =
      (merged === seenBefore ? await mergeFactsCopying(client, table, target.connector, rows, scope, resolved, now, target.clock) : null) ??
      (await mergeFacts(client, table, target.connector, rows, scope, now, merged.every((a) => !a.previous), target.clock));
    counts.ended += outcome.ended;
  }
  return counts;
}

/** The facts of one table that these record versions state (a deleted record states none). */
function freshFacts(applied: Array<{ record: MappedRecord }>, table: FactTableName): RecordFacts[] {
  const out: RecordFacts[] = [];
  for (const a of applied) if (!a.record.deleted) out.push({ recordKey: a.record.recordKey, facts: a.record.facts[table] ?? [] });
  return out;
}

/** The rows of one table that these record versions state (a deleted record states none). */
function factRows(applied: Array<{ record: MappedRecord }>, table: FactTableName, clock?: StageClock): Array<FactRow & { record_key: string }> {
  return timed(clock, 'build', () => {
    const out: Array<FactRow & { record_key: string }> = [];
    for (const a of applied) {
      if (a.record.deleted) continue;
      for (const f of a.record.facts[table] ?? []) out.push({ ...f, record_key: a.record.recordKey });
    }
    return out;
  });
}

/**
 * The households the batch's records establish (in their heads' ID order, as people are locked),
 * and the ids of those and of the households its facts name (by head), in id_number → id form.
 */
async function ensureHouseholds(client: PoolClient, heads: string[], named: string[], personIds: Map<string, string>): Promise<Map<string, string>> {
  const byHead = new Map<string, string>();
  const headIds = heads.flatMap((h) => {
    const id = personIds.get(h);
    return id === undefined ? [] : [id];
  });
  const idNumberOf = new Map<string, string>();
  for (const [idNumber, id] of personIds) idNumberOf.set(id, idNumber);
  if (headIds.length) {
    const created = await client.query<{ id: string; head_person_id: string }>(
      `insert into household (head_person_id) select h.id from unnest($1::bigint[]) with ordinality as h(id, n) order by h.n
       on conflict (head_person_id) do nothing
       returning id, head_person_id`,
      [arrayLiteral(headIds, (h) => h)],
    );
    for (const r of created.rows) byHead.set(idNumberOf.get(r.head_person_id)!, r.id);
  }
  const wanted = [...new Set(named)].flatMap((h) => {
    const id = byHead.has(h) ? undefined : personIds.get(h);
    return id === undefined ? [] : [id];
  });
  if (wanted.length) {
    const found = await client.query<{ id: string; head_person_id: string }>(
      `select id, head_person_id from household where head_person_id = any($1::bigint[])`,
      [wanted],
    );
    for (const r of found.rows) byHead.set(idNumberOf.get(r.head_person_id)!, r.id);
  }
  return byHead;
}

const SOURCE_RECORD_COLUMNS = [
  'id', 'feed', 'stream', 'record_key', 'partition', 'delivery', 'version_at', 'deleted', 'payload', 'payload_hash', 'sync_run_id',
  'first_seen_at', 'last_seen_at', 'superseded_at', 'content_id', 'content_offset', 'content_length',
] as const;

async function insertSourceRecords(
  client: PoolClient,
  target: BatchTarget,
  items: Array<{ record: MappedRecord; hash: string }>,
  now: Date,
  superseded: boolean,
  contentIds: Map<string, string>,
  delivery?: Delivery,
): Promise<Array<{ id: string; record_key: string }>> {
  if (!items.length) return [];
  // Their ids are taken first, in the records' order, so the rows can be COPYed (no RETURNING).
  // (one row, not one per record: the driver would build an object for each)
  const taken = await client.query<{ ids: string }>(`select string_agg(nextval('source_record_id_seq')::text, ',' order by n) as ids from generate_series(1, $1::int) n`, [items.length]);
  const ids = taken.rows[0]!.ids.split(',');
  const out: Array<{ id: string; record_key: string }> = [];
  const lines = timed(target.clock, 'build', () => {
    const at = now.toISOString();
    const feedFields = `${copyField(target.connector)}\t${copyField(target.stream)}`;
    const deliveryFields = `${copyField(delivery?.partition ?? '')}\t${delivery ? copyField(delivery.id) : COPY_NULL}`;
    const runFields = `${copyField(target.syncRunId)}\t${at}\t${at}\t${superseded ? at : COPY_NULL}`;
    const contentIdOf = new Map<Delivered, string>();
    return items.map((i, n) => {
      const id = ids[n]!;
      const r = i.record;
      out.push({ id, record_key: r.recordKey });
      // A record whose delivery is kept points into it; one without (a spreadsheet row, a record
      // given to ingest without its bytes) keeps its payload (as the JSON recordset read it: a
      // JSON null or no payload is none).
      const span = deliveredSpanOf(r.raw);
      let content = COPY_NULL;
      if (span) {
        content = contentIdOf.get(span.content) ?? contentIds.get(span.content.hex)!;
        contentIdOf.set(span.content, content);
      }
      const payload = span || r.raw == null ? COPY_NULL : copyField(JSON.stringify(r.raw));
      const version = r.versionAt == null ? COPY_NULL : copyField(r.versionAt);
      const place = span ? `${content}\t${span.offset}\t${span.length}` : `${COPY_NULL}\t${COPY_NULL}\t${COPY_NULL}`;
      return `${id}\t${feedFields}\t${copyField(r.recordKey)}\t${deliveryFields}\t${version}\t${r.deleted ? 't' : 'f'}\t${payload}\t${i.hash}\t${runFields}\t${place}`;
    });
  });
  await copyInto(client, 'source_record', SOURCE_RECORD_COLUMNS, lines, target.clock);
  return out;
}

/**
 * New people are created; what each feed says of a known person is kept per feed
 * (person_observation). The person's name is the one of the feed ranked first (./personPrecedence.ts),
 * their region that of their newest record carrying one (rules.md). Two ID numbers are never merged.
 * Returns the person id of each of these people and of the `named` ID numbers that exist.
 */
async function upsertPersons(
  client: PoolClient,
  feed: string,
  records: Array<{ record: MappedRecord; sourceId: string }>,
  now: Date,
  named: string[],
  clock?: StageClock,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const latest = new Map<string, PersonObservation & { observed_at: string; source_id: string }>();
  for (const { record: r, sourceId } of records) {
    // a record without a version time (a settlement, a snapshot row) is as new as its business date
    const observedAt = r.versionAt ?? `${r.versionDate}T00:00:00+08:00`;
    for (const p of r.persons) {
      const prev = latest.get(p.idNumber);
      if (!prev || Date.parse(prev.observed_at) <= Date.parse(observedAt)) {
        latest.set(p.idNumber, { ...p, name: p.name || prev?.name || '', regionCode: p.regionCode ?? prev?.regionCode ?? null, observed_at: observedAt, source_id: sourceId });
      }
    }
  }
  // in ID order: two batches applied at once then lock the people they share in the same order
  const people = [...latest.values()].sort((a, b) => (a.idNumber < b.idNumber ? -1 : a.idNumber > b.idNumber ? 1 : 0));
  let createdNow = new Set<string>();
  if (people.length) {
    const created = await client.query<{ id: string; id_number: string }>(
      `insert into person (id_number, name, sex, birth_date, region_code, observed_at, created_at, updated_at)
       select p.id_number, p.name, p.sex, p.birth_date, p.region_code, p.observed_at, $7, $7
         from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::timestamptz[]) as p(id_number, name, sex, birth_date, region_code, observed_at)
        order by p.id_number
       on conflict (id_number) do nothing
       returning id, id_number`,
      [
        arrayLiteral(people, (p) => p.idNumber), arrayLiteral(people, (p) => p.name), arrayLiteral(people, (p) => p.sex), arrayLiteral(people, (p) => p.birthDate),
        arrayLiteral(people, (p) => p.regionCode), arrayLiteral(people, (p) => p.observed_at), now,
      ],
    );
    for (const r of created.rows) ids.set(r.id_number, r.id);
    createdNow = new Set(ids.keys());
  }
  // the others already existed (or were created meanwhile by a batch applied at once, which this
  // statement, started after the insert waited for it, sees)
  const unknown = [...new Set([...latest.keys(), ...named])].filter((n) => !ids.has(n));
  if (unknown.length) {
    const found = await client.query<{ id: string; id_number: string }>(`select id, id_number from person where id_number = any($1::text[])`, [arrayLiteral(unknown, (n) => n)]);
    for (const r of found.rows) ids.set(r.id_number, r.id);
  }
  if (!people.length) return ids;
  // A person created by this batch has no observation yet and no other batch sees them: theirs
  // are COPYed. The others' are merged, in ID order.
  const known = people.filter((p) => !createdNow.has(p.idNumber));
  if (createdNow.size) {
    const lines = timed(clock, 'build', () => {
      const feedField = copyField(feed);
      const out: string[] = [];
      for (const p of people) {
        if (!createdNow.has(p.idNumber)) continue;
        out.push(`${ids.get(p.idNumber)}\t${feedField}\t${copyField(p.name)}\t${p.regionCode == null ? COPY_NULL : copyField(p.regionCode)}\t${copyField(p.observed_at)}\t${p.source_id}`);
      }
      return out;
    });
    await copyInto(client, 'person_observation', ['person_id', 'feed', 'name', 'region_code', 'observed_at', 'source_record_id'], lines, clock);
  }
  if (known.length) {
    await client.query(
      `insert into person_observation (person_id, feed, name, region_code, observed_at, source_record_id)
       select o.person_id, $1, o.name, o.region_code, o.observed_at, o.source_id
         from unnest($2::bigint[], $3::text[], $4::text[], $5::timestamptz[], $6::bigint[]) with ordinality as o(person_id, name, region_code, observed_at, source_id, n)
        order by o.n
       on conflict (person_id, feed) do update set
         name = case when excluded.name <> '' then excluded.name else person_observation.name end,
         region_code = coalesce(excluded.region_code, person_observation.region_code),
         observed_at = excluded.observed_at, source_record_id = excluded.source_record_id
       where person_observation.observed_at <= excluded.observed_at`,
      [
        feed, arrayLiteral(known, (p) => ids.get(p.idNumber)), arrayLiteral(known, (p) => p.name), arrayLiteral(known, (p) => p.regionCode),
        arrayLiteral(known, (p) => p.observed_at), arrayLiteral(known, (p) => p.source_id),
      ],
    );
  }
  // A person created just now already holds this feed's name and region. For the others the
  // chosen name and region can only change where this feed says something different from them:
  // for those few, derive both again from every feed's observation, set-based.
  const differing = known;
  if (!differing.length) return ids;
  await client.query(
    `update person set name = chosen.name, region_code = chosen.region_code, observed_at = chosen.observed_at, updated_at = $2
       from (
         select o.person_id,
                (array_agg(o.name order by ${BY_FEED_PRECEDENCE('o.feed')}, o.observed_at desc)
                   filter (where o.name <> ''))[1] as name,
                (array_agg(o.region_code order by o.observed_at desc) filter (where o.region_code is not null))[1] as region_code,
                max(o.observed_at) as observed_at
           from person_observation o
          where o.person_id in (
                  select p.id from jsonb_to_recordset($1::jsonb) as i("idNumber" text, name text, "regionCode" text)
                    join person p on p.id_number = i."idNumber"
                   where (i.name <> '' and i.name is distinct from p.name)
                      or (i."regionCode" is not null and i."regionCode" is distinct from p.region_code))
          group by o.person_id) chosen
      where person.id = chosen.person_id
        and (person.name, person.region_code) is distinct from (coalesce(chosen.name, person.name), chosen.region_code)`,
    [timed(clock, 'build', () => JSON.stringify(differing.map((o) => ({ idNumber: o.idNumber, name: o.name, regionCode: o.regionCode })))), now],
  );
  return ids;
}

/**
 * The final batch of a delivery that completely describes its partition: the records of the
 * partition it did not contain end on the delivery's date (a full snapshot), or, where a later
 * delivery of the same term or year replaces an earlier one, are withdrawn from it.
 */
async function endAbsentRecords(client: PoolClient, target: BatchTarget, delivery: Delivery, now: Date): Promise<number> {
  // Held by the delivery: written by it (or claimed by it before delivery_seen), or listed as
  // held again unchanged by one of its batches.
  const absent = await client.query<{ id: string; record_key: string }>(
    `with seen as materialized (
       select distinct k from delivery_seen d cross join unnest(d.keys) k
        where d.feed = $1 and d.stream = $2 and d.delivery = $4)
     update source_record s set superseded_at = $5
      where s.feed = $1 and s.stream = $2 and s.partition = $3 and s.superseded_at is null and not s.deleted
        and s.delivery is distinct from $4
        and not exists (select 1 from seen where seen.k = s.record_key)
     returning s.id, s.record_key`,
    [target.connector, target.stream, delivery.partition, delivery.id, now],
  );
  // The lists of this delivery, and of any delivery of the stream left unfinished and never to be
  // resumed (a last batch applies alone: no other delivery of the stream is in flight).
  await client.query(`delete from delivery_seen where feed = $1 and stream = $2`, [target.connector, target.stream]);
  if (!absent.rowCount) return 0;
  const markers = await client.query<{ id: string; record_key: string }>(
    `insert into source_record (feed, stream, record_key, partition, delivery, version_at, deleted, payload, payload_hash, sync_run_id, first_seen_at, last_seen_at)
     select $1, $2, k, $3, $4, null, true, jsonb_build_object('absentFrom', $4::text), md5('absent:' || $4::text), $5, $6, $6
       from unnest($7::text[]) as k
     returning id, record_key`,
    [target.connector, target.stream, delivery.partition, delivery.id, target.syncRunId, now, absent.rows.map((r) => r.record_key)],
  );
  let ended = 0;
  if (delivery.endDate) {
    const scope = markers.rows.map((m) => ({ record_key: m.record_key, version_date: delivery.endDate!, source_record_id: m.id }));
    for (const table of target.factTables) ended += (await mergeFacts(client, table, target.connector, [], scope, now)).ended;
  } else {
    for (const table of target.factTables) {
      const r = await client.query(
        `update ${table} set retired_at = $3 where feed = $1 and record_key = any($2::text[]) and retired_at is null`,
        [target.connector, markers.rows.map((m) => m.record_key), now],
      );
      ended += r.rowCount ?? 0;
    }
  }
  return ended;
}

/**
 * A PostgreSQL array literal of these values (null or undefined: NULL), for a `$n::type[]`
 * parameter: what the pg driver writes for a JavaScript array, escaping only where a value needs it.
 */
function arrayLiteral<T>(items: readonly T[], value: (item: T) => string | null | undefined): string {
  const out: string[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const v = value(items[i]!);
    out[i] = v == null ? 'NULL' : NEEDS_QUOTING_ESCAPE.test(v) ? `"${v.replace(/[\\"]/g, '\\$&')}"` : `"${v}"`;
  }
  return `{${out.join(',')}}`;
}
const NEEDS_QUOTING_ESCAPE = /[\\"]/;

function dedupeBy<T>(items: T[], key: (t: T) => string): T[] {
  const m = new Map<string, T>();
  for (const i of items) m.set(key(i), i);
  return [...m.values()];
}
