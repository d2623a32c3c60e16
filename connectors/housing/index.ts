import type { Connector } from '../../src/ingest/connector';
import { dangerousHousesStream } from './dangerousHouses';
import { publicHousingStream } from './publicHousing';

/** 住建局 housing and urban-rural development bureau: the housing-security ledger, one workbook per snapshot. */
export const housing: Connector = {
  name: 'housing',
  department: '住建局',
  streams: [publicHousingStream, dangerousHousesStream],
};
