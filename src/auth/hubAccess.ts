/**
 * Access control as the hub's HTTP server takes it: the context built from the bearer token, the
 * operation gate and audit plugins, the query limits, and the registered operations as the
 * persisted-query store. `startHub` spreads this into its server options.
 */
import type { Request } from 'express';
import type { Pool } from 'pg';
import { createContext, type ApiContext, type HubServices } from '../api/context';
import type { HubAppOptions } from '../server/app';
import type { HubLogger } from '../server/formatError';
import { admission } from './admission';
import { auditPlugin } from './auditPlugin';
import { authenticate, declaredPurpose } from './authenticate';
import { registeredOperationStore } from './operationAllowList';
import { operationGate } from './operationGate';
import { aliasLimitRule, depthLimitRule, QUERY_LIMITS } from './queryLimits';
import type { TokenRegistry } from './tokenRegistry';
import { issueToken, revokeToken } from './tokenStore';

export function hubAccess(
  services: HubServices,
  log: HubLogger,
  tokens: TokenRegistry,
): Pick<HubAppOptions<ApiContext>, 'context' | 'plugins' | 'validationRules' | 'parseOptions' | 'persistedQueries'> {
  return {
    context: async (req: Request) => createContext(services, await authenticate(tokens, req), { purpose: declaredPurpose(req) }),
    plugins: [operationGate<ApiContext>(services.pool), admission<ApiContext>(services.pool, services.config.admission), auditPlugin<ApiContext>(services.pool, log)],
    validationRules: [depthLimitRule(), aliasLimitRule()],
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    persistedQueries: { cache: registeredOperationStore(services.pool) },
  };
}

/** What the GraphiQL page of `weijiu serve` opens with: where the token goes. */
export const GRAPHIQL_HEADERS_TEMPLATE: Record<string, string> = {
  Authorization: 'Bearer PASTE-A-TOKEN-FROM-weijiu-token-create',
  'X-Purpose': '',
};

/**
 * The `npm start` demo's OFFICE token: valid one day and revoked when the demo stops, since the
 * demo's database is also the one `weijiu serve` uses when nothing else is configured.
 */
export async function startDemoAccess(pool: Pool, city: string): Promise<{ token: string; headers: Record<string, string>; revoke(): Promise<void> }> {
  const issued = await issueToken(pool, city, [], { role: 'OFFICE', label: 'demo (npm start)', days: 1 });
  return {
    token: issued.token,
    headers: { Authorization: `Bearer ${issued.token}`, 'X-Purpose': 'demo' },
    async revoke() {
      await revokeToken(pool, issued.id);
    },
  };
}
