import type { Connector } from '../../src/ingest/connector';
import { deathsStream } from './deaths';
import { settlementsStream } from './settlements';

/**
 * 卫健委 / 医保局 health: hospital settlements of the configured years, read whole at each sync,
 * and medical death certificates, read from a margin before the newest date of death (HTTP JSON,
 * page/size pagination).
 */
export const health: Connector = {
  name: 'health',
  department: '卫健委 / 医保局',
  streams: [settlementsStream, deathsStream],
};
