import type { Connector } from '../../src/ingest/connector';
import { studentAidStream } from './studentAid';

/** 教育局 education bureau: the student financial aid ledger, one CSV file per term. */
export const education: Connector = {
  name: 'education',
  department: '教育局',
  streams: [studentAidStream],
};
