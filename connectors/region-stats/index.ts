import type { Connector } from '../../src/ingest/connector';
import { regionFiguresStream } from './regionFigures';

/** 民政局 / 财政局 civil-affairs and finance bureaus: capacity and fund figures per region, one CSV file per year. */
export const regionStats: Connector = {
  name: 'region-stats',
  department: '民政局 / 财政局',
  streams: [regionFiguresStream],
};
