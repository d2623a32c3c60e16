/**
 * A hub's working folder for a test: a copy of the sample drop folders (which a test may spoil)
 * and a `weijiu.config.json` naming all eight connectors, the API ones pointed at loopback
 * registries. The connectors are listed in the order `sync --all` runs them: the economic check
 * after the rolls its nightly population is drawn from (civil affairs, housing, disability).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { samplesDir } from '../samples';
import type { ApiConnector } from './sampleRegistries';

export type DropConnector = 'education' | 'housing' | 'poverty-relief' | 'region-stats';

/** the sample drop folder of each file-drop connector */
const SAMPLE_DROPS: Record<DropConnector, string> = {
  education: 'education',
  housing: 'housing',
  'poverty-relief': 'poverty',
  'region-stats': 'region-stats',
};

/** `sync --all` order */
export const CONNECTORS = [
  'civil-affairs', 'education', 'health', 'housing', 'poverty-relief', 'disability', 'economic-check', 'region-stats',
] as const;

export type ConnectorName = (typeof CONNECTORS)[number];

/**
 * HTTP page size of the paged APIs: small, so that a sync of the sample spans many batches and
 * bookmarks (and can be cut off between them); the same in every workspace so that runs compare.
 */
export const API_PAGE_SIZE = 10;

/** ID numbers per economic-check call: a few calls for the sample's nightly population, at 5 a second */
export const ECONOMIC_CHECK_BATCH = 50;

export interface HubWorkspace {
  dir: string;
  configFile: string;
  dropDir(connector: DropConnector): string;
  /** rewrites the config with other registry addresses (e.g. past a slow front) */
  pointAt(urls: Record<ApiConnector, string>): void;
  /** the environment of a `weijiu` process working here on the given database */
  env(databaseUrl: string): NodeJS.ProcessEnv;
  remove(): void;
}

export function createHubWorkspace(urls: Record<ApiConnector, string>): HubWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weijiu-acceptance-'));
  for (const [connector, sample] of Object.entries(SAMPLE_DROPS)) {
    fs.cpSync(path.join(samplesDir, 'drop', sample), path.join(dir, 'drop', connector), { recursive: true });
  }
  const configFile = path.join(dir, 'weijiu.config.json');
  const pointAt = (apis: Record<ApiConnector, string>) => {
    const source = (c: ConnectorName) => (c in SAMPLE_DROPS ? `drop/${c}` : apis[c as ApiConnector]);
    const settings: Partial<Record<ConnectorName, object>> = {
      'civil-affairs': { pageSize: API_PAGE_SIZE },
      health: { pageSize: API_PAGE_SIZE, years: [2025, 2026] },
      disability: { pageSize: API_PAGE_SIZE },
      'economic-check': { pageSize: ECONOMIC_CHECK_BATCH },
    };
    const config = {
      timezone: 'Asia/Shanghai',
      connectors: Object.fromEntries(CONNECTORS.map((c) => [c, { source: source(c), ...settings[c] }])),
    };
    fs.writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  };
  pointAt(urls);
  return {
    dir,
    configFile,
    pointAt,
    dropDir: (connector) => path.join(dir, 'drop', connector),
    env: (databaseUrl) => ({
      ...process.env,
      DATABASE_URL: databaseUrl,
      WEIJIU_CONFIG: configFile,
      // never an embedded PostgreSQL of its own, even if DATABASE_URL were lost
      WEIJIU_HOME: path.join(dir, '.weijiu'),
      WEIJIU_LOG_LEVEL: 'warn',
    }),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
