/**
 * Direct lookups outside a region-scoped viewer's scope (a TOWN token asking for a person, a
 * household, a finding or a region elsewhere) are refused with FORBIDDEN rather than answered
 * "not found": staff learn the question is not theirs, and nothing of the row is read — the
 * scoped statement returned nothing, and this only asks whether the key exists at all.
 */
import type { ApiContext } from './context';
import { regionArgument } from './argumentChecks';
import { withinScope } from './viewer';
import { describeViewer, forbidden } from '../auth/policy';

function cityWide(ctx: ApiContext): boolean {
  return ctx.viewer.regionPrefix === ctx.hub.config.city;
}

/** A region-code argument that must be a region of the city and inside the viewer's scope. */
export async function scopedRegionArgument(ctx: ApiContext, code: string | null | undefined, argumentName = 'regionCode'): Promise<string | null> {
  const region = await regionArgument(ctx, code, argumentName);
  if (region && !withinScope(ctx.viewer, region)) {
    throw forbidden(`${argumentName}: ${region} is outside the region of ${describeViewer(ctx.viewer)}`);
  }
  return region;
}

const PROBES = {
  person: 'select 1 from person where id_number = $1',
  household: 'select 1 from household where id = $1',
  finding: 'select 1 from finding where id = $1',
} as const;

/** Called when a scoped lookup found nothing: FORBIDDEN if the key exists outside the scope. */
export async function refuseOutsideScope(ctx: ApiContext, kind: keyof typeof PROBES, key: string): Promise<void> {
  if (cityWide(ctx)) return;
  const { rowCount } = await ctx.hub.pool.query(PROBES[kind], [key]);
  if (rowCount) throw forbidden(`this ${kind} is outside the region of ${describeViewer(ctx.viewer)}`);
}
