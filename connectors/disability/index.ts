import type { Connector } from '../../src/ingest/connector';
import { personsStream } from './persons';

/**
 * 残联 the disabled-persons federation's register: certificates and the 两项补贴 subsidies
 * (HTTP JSON, page-token pagination, incremental by `modifiedAt`).
 */
export const disability: Connector = {
  name: 'disability',
  department: '残联',
  streams: [personsStream],
};
