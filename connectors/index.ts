import type { Connector } from '../src/ingest/connector';
import { civilAffairs } from './civil-affairs';
import { disability } from './disability';
import { economicCheck } from './economic-check';
import { education } from './education';
import { health } from './health';
import { housing } from './housing';
import { povertyRelief } from './poverty-relief';
import { regionStats } from './region-stats';

/** Every department connector the hub knows, by the name used in the config file. */
export const connectors: Record<string, Connector> = Object.fromEntries(
  [civilAffairs, education, health, housing, povertyRelief, disability, economicCheck, regionStats].map((c) => [c.name, c]),
);
