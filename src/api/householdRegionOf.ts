/**
 * A household's current region, as a SQL expression over its id: of its newest, not ended
 * registry record (civil-affairs first) — the region every household path is scoped by.
 */
export function householdRegionOf(householdId: string): string {
  return `(select hr.region_code from household_record hr
   where hr.household_id = ${householdId} and hr.retired_at is null
   order by (hr.valid_to is null) desc, (hr.feed = 'civil-affairs') desc, hr.record_key limit 1)`;
}
