import type { Connector } from '../../src/ingest/connector';
import { grantsStream } from './grants';
import { householdsStream } from './households';
import { registriesStream } from './registries';

/**
 * 民政局 civil-affairs social assistance system: the rolls of the programmes the bureau runs
 * itself (HTTP JSON, cursor pagination, incremental by `updated_since`).
 */
export const civilAffairs: Connector = {
  name: 'civil-affairs',
  department: '民政局',
  streams: [householdsStream, grantsStream, registriesStream],
};
