import type { Pool } from 'pg';
import { noSubjects, type AuditedSubjects } from '../auth/auditSubjects';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { HubConfig } from '../config/config';
import { todayInShanghai } from '../identity';
import { createLoaders, type Loaders } from './loaders';
import type { Viewer } from '../auth/viewer';
import { reportingDay } from '../auth/disclosure';

/** What the hub offers the API besides the database: its configuration and its scheduler's view. */
export interface HubServices {
  config: HubConfig;
  pool: Pool;
  orm: MikroORM;
  /** the connectors the hub knows (configured or not), with their department */
  catalogue: Record<string, { department: string }>;
  /** next planned run of a connector, when a scheduler runs */
  nextRunOf?: (connector: string) => Date | null;
}

/** The per-request context: who asks, and loaders bound to them. */
export interface ApiContext {
  viewer: Viewer;
  loaders: Loaders;
  hub: HubServices;
  today: string;
  /** what the client says the request is for (`X-Purpose`), kept in the audit trail */
  purpose: string | null;
  /**
   * Whom this request read: the subjects of the objects that resolved (src/auth/auditSubjects.ts),
   * and people a resolver read without returning them as objects (a count filtered by a name).
   * The audit plugin writes them.
   */
  audited: AuditedSubjects;
}

export function createContext(hub: HubServices, viewer: Viewer, request: { purpose?: string | null } = {}): ApiContext {
  // For ANALYST "today" is this month's last day, so that no default answer changes inside a month.
  const today = reportingDay(viewer, todayInShanghai());
  return {
    viewer,
    hub,
    today,
    purpose: request.purpose ?? null,
    audited: noSubjects(),
    loaders: createLoaders({ pool: hub.pool, viewer, city: hub.config.city, today }),
  };
}
