import type { Connector } from '../../src/ingest/connector';
import { factsStream } from './facts';

export { population, type PopulationMember } from './population';
export { checkHousehold, type EconomicFact } from './householdCheck';

/**
 * 家庭经济状况核对中心 (民政局) the economic-check oracle: bank, insurance, tax, social-security,
 * real-estate, vehicle and business facts of the nightly population, asked in paced batches.
 */
export const economicCheck: Connector = {
  name: 'economic-check',
  department: '家庭经济状况核对中心 (民政局)',
  streams: [factsStream],
};
