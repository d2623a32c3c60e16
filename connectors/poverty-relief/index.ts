import type { Connector } from '../../src/ingest/connector';
import { registeredPoorStream } from './registeredPoor';

/** 乡村振兴局 rural revitalisation bureau: the registered-poor and monitoring ledger, one CSV snapshot per export. */
export const povertyRelief: Connector = {
  name: 'poverty-relief',
  department: '乡村振兴局',
  streams: [registeredPoorStream],
};
