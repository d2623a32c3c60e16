/**
 * A household's region, as a SQL expression over its id — the region every household path is
 * scoped by and Household.region shows: rules.md's (weijiu_household_region, its newest records,
 * the first feed's). A household no register lists any more keeps the region of its last record,
 * in the same feed order, so that the staff of its region can still read its history.
 */
export function householdRegionOf(householdId: string): string {
  return `coalesce(
    (select r.region_code from weijiu_household_region() r where r.household_id = ${householdId}),
    (select hr.region_code from household_record hr
      where hr.household_id = ${householdId} and hr.retired_at is null
      order by weijiu_feed_rank(hr.feed), hr.record_key limit 1))`;
}
