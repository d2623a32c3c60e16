/**
 * 审计 Every request whose response carries person-level data writes one audit row (an Apollo
 * plugin, not code in each resolver): the fields of person-level types that resolved name
 * their subjects — a Person by itself, a Member, Benefit or Finding by its person, a Household by
 * its head — and the response leaves only once the row is committed (the audit writer puts the
 * rows of concurrent requests into one commit, src/auth/auditWriter.ts). If it cannot be
 * written, the data does not leave either. A quarantined record read whole (its `raw`, `value` or `recordKey`,
 * which only the office gets unmasked) is named by its id. And whoever's ID number leaves in the
 * answer, in any field and any spelling — a household member inside a finding's evidence, a
 * person named in a record key or a review reason — is named too: the answer is read for ID
 * numbers once, after execution, so no type or field can forget to declare its people.
 *
 * Each request also leaves one log line (role, token, operation, how many people, duration);
 * never the query text or its variables, which may hold ID numbers.
 */
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { getNamedType } from 'graphql';
import type { Viewer } from './viewer';
import { INTERNAL_ERROR_MESSAGE, type HubLogger } from '../logging/logger';
import { idNumbersIn } from '../identity/idNumber';
import type { AuditEntry } from './auditTrail';
import { operationSha256 } from './operationAllowList';
import { seesRawQuarantine } from './policy';

interface Subjects {
  persons: Set<string>;
  households: Set<string>;
}

type Row = Record<string, unknown>;

/** What left whole: quarantined records, and every ID number in the answer (resolved to people when the row is written). */
interface QuarantineRead {
  records: Set<string>;
  idNumbers: Set<string>;
}

/** The fields of a quarantined record that carry it as received; the rest says why it was refused. */
const QUARANTINE_CONTENT = new Set(['raw', 'value', 'recordKey']);

function readQuarantined(row: Row, into: QuarantineRead): void {
  if (typeof row.id !== 'string' && typeof row.id !== 'number') return;
  into.records.add(String(row.id));
}

/** The ID numbers an answer carries, wherever they are in it. */
function idNumbersLeaving(rc: GraphQLRequestContextWillSendResponse<object>, into: QuarantineRead): void {
  const body = rc.response.body;
  if (body.kind !== 'single' || !body.singleResult.data) return;
  for (const id of idNumbersIn(JSON.stringify(body.singleResult.data))) into.idNumbers.add(id);
}

/** The GraphQL types whose objects are about people, and whom each names. */
const SUBJECTS_OF: Record<string, (row: Row, into: Subjects) => void> = {
  Person: (r, s) => add(s.persons, r.id),
  Member: (r, s) => add(s.persons, r.personId),
  Household: (r, s) => add(s.households, r.id),
  Benefit: (r, s) => {
    add(s.persons, r.personId);
    add(s.households, r.householdId);
  },
  Finding: (r, s) => {
    add(s.persons, r.personId);
    add(s.households, r.householdId);
  },
  ScreeningRow: (r, s) => add(s.persons, r.personId),
};

function add(set: Set<string>, id: unknown): void {
  if (typeof id === 'string' || typeof id === 'number') set.add(String(id));
}

function collect(value: unknown, named: (row: Row, into: Subjects) => void, into: Subjects): void {
  if (Array.isArray(value)) for (const v of value) collect(v, named, into);
  else if (value !== null && typeof value === 'object' && !(value instanceof Error)) named(value as Row, into);
}

export interface AuditedContext {
  viewer: Viewer;
  purpose: string | null;
  /** subjects a resolver read without returning them as objects (src/api/context.ts) */
  audited?: Subjects;
}

/** Where entries go: resolves once the entry's row is committed (AuditWriter). */
export interface AuditSink {
  write(entry: AuditEntry): Promise<void>;
}

export function auditPlugin<C extends AuditedContext>(audit: AuditSink, log: HubLogger): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      const subjects: Subjects = { persons: new Set(), households: new Set() };
      const quarantine: QuarantineRead = { records: new Set(), idNumbers: new Set() };
      return {
        async executionDidStart() {
          return {
            willResolveField({ info, source, contextValue }) {
              if (info.parentType.name === 'QuarantinedRecord' && QUARANTINE_CONTENT.has(info.fieldName) && contextValue.viewer && seesRawQuarantine(contextValue.viewer)) {
                return (error) => {
                  if (!error) readQuarantined(source as Row, quarantine);
                };
              }
              const named = SUBJECTS_OF[getNamedType(info.returnType).name];
              if (!named) return;
              return (error, result) => {
                if (!error) collect(result, named, subjects);
              };
            },
          };
        },
        async willSendResponse(rc) {
          for (const id of rc.contextValue.audited?.persons ?? []) subjects.persons.add(id);
          for (const id of rc.contextValue.audited?.households ?? []) subjects.households.add(id);
          idNumbersLeaving(rc, quarantine);
          const people = subjects.persons.size + subjects.households.size;
          const read = people + quarantine.records.size + quarantine.idNumbers.size;
          const entry = {
            role: rc.contextValue.viewer?.role,
            token: rc.contextValue.viewer?.tokenId,
            operation: rc.operationName ?? null,
            people,
            ...(quarantine.records.size > 0 && { quarantinedRecords: quarantine.records.size }),
            ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
            errors: rc.errors?.length ?? 0,
          };
          if (read > 0 && rc.contextValue.viewer && rc.source !== undefined) {
            try {
              await audit.write({
                viewer: rc.contextValue.viewer,
                operationType: rc.operation?.operation ?? 'query',
                operation: rc.operationName ?? null,
                querySha256: operationSha256(rc.source),
                purpose: rc.contextValue.purpose,
                personIds: [...subjects.persons],
                householdIds: [...subjects.households],
                idNumbers: [...quarantine.idNumbers],
                quarantinedRecordIds: [...quarantine.records],
              });
            } catch (e) {
              log.error({ err: { type: (e as Error)?.constructor?.name, message: String((e as Error)?.message ?? e) }, ...entry }, 'audit row not written: response withheld');
              withhold(rc);
              return;
            }
          }
          // the duration includes the wait for the audit commit: it is when the answer leaves
          log.info({ ...entry, ms: Number((process.hrtime.bigint() - started) / 1_000_000n) }, 'graphql request');
        },
      };
    },
  };
}

/** No audit row, no data: the response becomes an internal error. */
function withhold<C extends object>(rc: GraphQLRequestContextWillSendResponse<C>): void {
  rc.response.body = { kind: 'single', singleResult: { errors: [{ message: INTERNAL_ERROR_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } };
  rc.response.http.status = 500;
}
