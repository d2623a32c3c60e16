import type { Connector } from '../src/ingest/connector';
import { civilAffairs } from './civil-affairs';
import { disability } from './disability';
import { economicCheck } from './economic-check';
import { education } from './education';
import { health } from './health';
import { housing } from './housing';
import { povertyRelief } from './poverty-relief';
import { regionStats } from './region-stats';

/**
 * Every department connector the hub knows, by the name used in the config file. A new
 * department is one more entry here (README "Adding a connector"; tests/ingest/addingAConnector.test.ts
 * fails for a folder under connectors/ that is not listed).
 */
export const connectors: Record<string, Connector> = Object.fromEntries(
  [civilAffairs, education, health, housing, povertyRelief, disability, economicCheck, regionStats].map((c) => [c.name, c]),
);

/**
 * Adds a connector that is not in the list above — a test's example department — to everything
 * reading this catalogue (the hub, the command line, the facts permissions of src/auth/policy.ts),
 * for the rest of the process. The hub's own departments are the list above, never registered.
 */
export function registerConnector(connector: Connector): void {
  if (connectors[connector.name] && connectors[connector.name] !== connector) throw new Error(`a connector named ${connector.name} is already registered`);
  connectors[connector.name] = connector;
}

/** The departments whose facts about people the API shows generically (Connector.personFacts). */
export function personFactDepartments(): string[] {
  return Object.values(connectors)
    .filter((c) => c.personFacts?.length)
    .map((c) => c.name);
}
