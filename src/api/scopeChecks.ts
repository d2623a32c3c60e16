/**
 * A region-code argument outside a region-scoped viewer's scope is refused with FORBIDDEN (region
 * codes are public). A lookup of a person, household or finding outside it is not: the scoped
 * statement finds nothing and the answer is null, exactly as for a key nobody holds, so a TOWN
 * token cannot learn whether an ID number exists elsewhere in the city.
 */
import type { ApiContext } from './context';
import { regionArgument } from './argumentChecks';
import { withinScope } from '../auth/viewer';
import { describeViewer, forbidden } from '../auth/policy';

/** A region-code argument that must be a region of the city and inside the viewer's scope. */
export async function scopedRegionArgument(ctx: ApiContext, code: string | null | undefined, argumentName = 'regionCode'): Promise<string | null> {
  const region = await regionArgument(ctx, code, argumentName);
  if (region && !withinScope(ctx.viewer, region)) {
    throw forbidden(`${argumentName}: ${region} is outside the region of ${describeViewer(ctx.viewer)}`);
  }
  return region;
}
