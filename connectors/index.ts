import type { Connector } from '../src/ingest/connector';
import { civilAffairs } from './civil-affairs';

/** Every department connector the hub knows, by the name used in the config file. */
export const connectors: Record<string, Connector> = {
  [civilAffairs.name]: civilAffairs,
};
