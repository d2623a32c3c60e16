import { openTestDatabase } from '../support/hubDatabase';
import { loadSampleSet, SAMPLE_AS_OF } from '../support/sampleHub';
import { loadDemoScreenings } from '../../src/rules/screening/demoLists';

/** What `npm start` shows at once: two judged lists, each with rows of every reason its programme can have. */
test('the demo loads an education grant list and a temporary-aid list, judged, with their planted reasons', async () => {
  const db = await openTestDatabase();
  try {
    await loadSampleSet(db);
    const ids = await loadDemoScreenings(db.pool, '3710', SAMPLE_AS_OF);
    const { rows } = await db.pool.query<{ programme: string; reasons: string[] }>(
      `select s.programme_code as programme, array(select distinct unnest(r.reason_codes) from screening_row r where r.screening_id = s.id order by 1) as reasons
         from screening s where s.id = any($1::bigint[]) order by s.id`,
      [ids],
    );
    expect(rows.map((r) => r.programme)).toEqual(['JY_GRANT', 'LS']);
    for (const r of rows) {
      expect(r.reasons).toEqual(expect.arrayContaining(['ASSETS', 'BAD_ID', 'DECEASED', 'DUPLICATE_ROW', 'NAME_MISMATCH', 'NOT_KNOWN', 'OUTSIDE_REGION', 'SAME_KIND_THIS_YEAR']));
    }
  } finally {
    await db.drop();
  }
}, 120_000);
