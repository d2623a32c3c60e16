import type { Pool } from 'pg';

/**
 * 变更通知 the change log's writes (exchange.md "Change notices"). Every function here runs inside
 * the transaction of the change that causes its events — a sync batch, a rule run, a review, a
 * comparison of categories — so an event exists exactly when its change committed: a process that
 * dies mid-batch leaves neither. Each event carries its writing transaction's id (`txid`); readers
 * page by (txid, id) and only over transactions older than every one still running
 * (src/auth/changeScope.ts), so an event that commits late is never skipped.
 *
 * Set-based: one statement per step, whatever the number of events.
 */
/** A connection inside the causing transaction: a pg client, or the ORM's (review.ts adapts it). */
export interface Sql {
  query<R extends Record<string, any> = any>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

/** The writing transaction's id, as every insert into change_event records it. */
export const EVENT_TXID = 'pg_current_xact_id()::text::bigint';

/**
 * Whether a feed has a baseline: a connector's first successful sync brings its facts without
 * events (exchange.md); its later ones write them. A run that failed before any success has none.
 */
export async function feedHasBaseline(client: Sql, connector: string, syncRunId: string): Promise<boolean> {
  const { rows } = await client.query<{ yes: boolean }>(
    `select exists (select 1 from sync_run where connector = $1 and status = 'SUCCEEDED' and id <> $2) as yes`,
    [connector, syncRunId],
  );
  return rows[0].yes;
}

/**
 * The events of one sync batch: benefits that appeared (BENEFIT_STARTED), that got an end date or
 * were withdrawn (BENEFIT_ENDED; a new version that only changes the amount is none), and death
 * records that arrived (DECEASED). The batch's rows are those it recorded or retired at its own
 * instant (`now`), of its own feed.
 */
export async function writeBatchEvents(client: Sql, feed: string, factTables: readonly string[], now: Date, today: string): Promise<number> {
  let written = 0;
  if (factTables.includes('benefit')) {
    const r = await client.query(
      `with touched as (
         select b.record_key, b.item_key, b.programme_code, b.valid_from, b.valid_to, b.retired_at,
                coalesce(b.person_id, (select h.head_person_id from household h where h.id = b.household_id)) as person_id
           from benefit b where b.feed = $1 and (b.recorded_at = $2 or b.retired_at = $2)),
       fresh as (select * from touched where retired_at is null),
       gone as (select * from touched where retired_at is not null),
       events as (
         select 'BENEFIT_STARTED' as kind, f.person_id, f.programme_code, coalesce(f.valid_from, $3::date) as effective_on from fresh f
          where not exists (select 1 from gone g where g.record_key = f.record_key and g.item_key = f.item_key)
            and (f.valid_to is null or f.valid_to >= $3::date)
         union all
         select 'BENEFIT_ENDED', f.person_id, f.programme_code, f.valid_to from fresh f
          where f.valid_to is not null
            and exists (select 1 from gone g where g.record_key = f.record_key and g.item_key = f.item_key and g.valid_to is distinct from f.valid_to)
         union all
         select 'BENEFIT_ENDED', g.person_id, g.programme_code, $3::date from gone g
          where not exists (select 1 from fresh f where f.record_key = g.record_key and f.item_key = g.item_key)
            and (g.valid_to is null or g.valid_to > $3::date))
       insert into change_event (txid, kind, effective_on, person_id, programme, region_code)
       select ${EVENT_TXID}, e.kind, e.effective_on, e.person_id, e.programme_code, p.region_code
         from events e left join person p on p.id = e.person_id
        order by e.person_id, e.programme_code`,
      [feed, now, today],
    );
    written += r.rowCount ?? 0;
  }
  if (factTables.includes('death_record')) {
    const r = await client.query(
      `insert into change_event (txid, kind, effective_on, person_id, region_code)
       select ${EVENT_TXID}, 'DECEASED', d.died_on, d.person_id, p.region_code
         from death_record d left join person p on p.id = d.person_id
        where d.feed = $1 and d.recorded_at = $2 and d.retired_at is null and d.person_id is not null
          and not exists (select 1 from death_record e where e.feed = d.feed and e.record_key = d.record_key and e.id <> d.id)
        order by d.person_id`,
      [feed, now],
    );
    written += r.rowCount ?? 0;
  }
  return written;
}

/**
 * A rule run's events, before it commits: findings it opened (or opened again) and cleared. The
 * first run ever is the findings' baseline, as a feed's first sync is for facts.
 */
export async function writeRuleRunEvents(client: Sql, runId: string, today: string): Promise<number> {
  const r = await client.query(
    `insert into change_event (txid, kind, effective_on, person_id, finding_id, region_code)
     select ${EVENT_TXID}, case when f.status = 'CLEARED' then 'FINDING_CLEARED' else 'FINDING_OPENED' end, $2::date,
            coalesce(f.person_id, (select h.head_person_id from household h where h.id = f.household_id)), f.id, f.region_code
       from finding f
      where f.last_run_id = $1
        and ((f.status = 'CLEARED' and f.cleared_at = now()) or (f.status = 'OPEN' and f.opened_at = now()))
        and exists (select 1 from rule_run r where r.status = 'SUCCEEDED' and r.id <> $1)
      order by f.id`,
    [runId, today],
  );
  return r.rowCount ?? 0;
}

/** The office's decisions on findings (FINDING_DECIDED), in the review's transaction. */
export async function writeDecisionEvents(client: Sql, findingIds: readonly string[], today: string): Promise<number> {
  const r = await client.query(
    `insert into change_event (txid, kind, effective_on, person_id, finding_id, region_code)
     select ${EVENT_TXID}, 'FINDING_DECIDED', $2::date,
            coalesce(f.person_id, (select h.head_person_id from household h where h.id = f.household_id)), f.id, f.region_code
       from finding f where f.id in (select x::bigint from jsonb_array_elements_text($1::jsonb) x) order by f.id`,
    // a JSON array, not a bound array: the ORM's connection would spread an array into a list
    [JSON.stringify(findingIds), today],
  );
  return r.rowCount ?? 0;
}

/** A connector's run that failed (or stopped half-way): one SYNC_FAILED, with the run's close. */
export async function writeSyncFailedEvent(client: Sql, connector: string, today: string): Promise<void> {
  await client.query(`insert into change_event (txid, kind, effective_on, connector) values (${EVENT_TXID}, 'SYNC_FAILED', $2, $1)`, [connector, today]);
}

/**
 * CATEGORY_ENTERED / CATEGORY_LEFT: each person's nine categories as of `today` against the set
 * the previous comparison kept (person_category_state), in one transaction with the events.
 * Run after every sync and daily (a child turning 18, a window running out change it with no
 * sync). `baseline`: keep the sets and write no event — the first comparison ever, or after a
 * feed's first sync (its facts are its baseline).
 */
export async function compareCategories(pool: Pool, city: string, today: string, baseline = false): Promise<{ entered: number; left: number }> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    // One comparison at a time: two would both see the old sets and write each change twice.
    await client.query(`select pg_advisory_xact_lock(hashtext('weijiu change_event categories'))`);
    const first = (await client.query(`select not exists (select 1 from person_category_state) as yes`)).rows[0].yes as boolean;
    const { rows } = await client.query<{ entered: number; left: number }>(
      `with now_held as (
         select c.person_id, array_agg(distinct c.category order by c.category) as categories
           from weijiu_categories($1::date, $2) c group by c.person_id),
       diff as (
         select coalesce(n.person_id, s.person_id) as person_id, coalesce(n.categories, '{}') as now_cats, coalesce(s.categories, '{}') as was_cats
           from now_held n full join person_category_state s on s.person_id = n.person_id
          where n.categories is distinct from s.categories),
       events as (
         select d.person_id, 'CATEGORY_ENTERED' as kind, c as category from diff d, unnest(d.now_cats) c where not c = any(d.was_cats)
         union all
         select d.person_id, 'CATEGORY_LEFT', c from diff d, unnest(d.was_cats) c where not c = any(d.now_cats)),
       written as (
         insert into change_event (txid, kind, effective_on, person_id, category, region_code)
         select ${EVENT_TXID}, e.kind, $1::date, e.person_id, e.category, p.region_code
           from events e left join person p on p.id = e.person_id
          where not $3::boolean
          order by e.person_id, e.kind, e.category
         returning kind),
       kept as (
         insert into person_category_state (person_id, categories, computed_on)
         select person_id, now_cats, $1::date from diff where cardinality(now_cats) > 0
         on conflict (person_id) do update set categories = excluded.categories, computed_on = excluded.computed_on
         returning 1),
       dropped as (
         delete from person_category_state s using diff d where s.person_id = d.person_id and cardinality(d.now_cats) = 0
         returning 1)
       select (select count(*) from written where kind = 'CATEGORY_ENTERED')::int as entered,
              (select count(*) from written where kind = 'CATEGORY_LEFT')::int as left,
              (select count(*) from kept)::int + (select count(*) from dropped)::int as kept`,
      [today, city, baseline || first],
    );
    await client.query('commit');
    return rows[0];
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/**
 * SOURCE_STALE: the connectors whose last successful sync is older than their allowed age (api.md
 * "Sources"), or that never succeeded — one event per connector and day, however often this runs.
 */
export async function writeStaleSourceEvents(
  pool: Pool,
  sources: ReadonlyArray<{ connector: string; maxAgeDays: number | null }>,
  today: string,
  now: Date,
): Promise<string[]> {
  const judged = sources.filter((s) => s.maxAgeDays !== null);
  if (!judged.length) return [];
  const { rows } = await pool.query<{ connector: string }>(
    `with s as (select * from unnest($1::text[], $2::int[]) as s(connector, max_age_days)),
          stale as (
            select s.connector from s
             where coalesce((select max(r.finished_at) from sync_run r where r.connector = s.connector and r.status = 'SUCCEEDED'), '-infinity')
                   < $4::timestamptz - make_interval(days => s.max_age_days))
     insert into change_event (txid, kind, effective_on, connector)
     select ${EVENT_TXID}, 'SOURCE_STALE', $3::date, st.connector from stale st
      where not exists (select 1 from change_event e where e.kind = 'SOURCE_STALE' and e.connector = st.connector and e.effective_on = $3::date)
      order by st.connector
     returning connector`,
    [judged.map((s) => s.connector), judged.map((s) => s.maxAgeDays), today, now],
  );
  return rows.map((r) => r.connector);
}
