/**
 * Who sees which field (api.md): every field of the schema, by what it carries, and what each role
 * may read of it. A field's visibility follows what it carries, whatever type or path reaches it
 * (`Person.deceasedOn` is the same fact as `death { diedOn }`), so the check runs on every field
 * (`withFieldVisibility`, on the built schema) rather than on the query that led there. A field
 * missing here is refused to everyone; tests/auth/fieldVisibility.test.ts fails until it has a row.
 *
 * Rows are scoped as well as shown: a TOWN token's "✔" means the rows of its region, and the
 * loaders say so in SQL (./viewer.ts `regionScope`).
 */
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema, isObjectType } from 'graphql';
import type { Role, Viewer } from './viewer';
import { describeViewer, forbidden, type FactDepartment } from './policy';

/**
 * What a role may read of a field:
 * - `yes`: the field whole (TOWN: of the rows of its region);
 * - `no`: refused (FORBIDDEN);
 * - `masked`: the masked form the field's resolver gives (ID numbers and names masked: the
 *   operators' view of quarantined records);
 * - `counts`: only counted, never read on an object: refused here, answered by lists' `totalCount`,
 *   coverage and aggregates;
 * - `ownDepartment` (DEPARTMENT): the facts of its own department only — the row's `department`;
 * - `ownFeed` (DEPARTMENT): only what its own feed stated (rows of other feeds left out, a value
 *   of another feed's record null);
 * - `ownProgrammes` (DEPARTMENT): benefit amounts of its own department's programmes; null for others;
 * - `lookedUp` (DEPARTMENT): only on the person it looked up by ID number and on that person's
 *   household, so a department walks one family, never the city;
 * - `assigned` (DEPARTMENT): findings assigned to it: the statements reading findings keep to
 *   those whose newest assignment names its department (./assignmentScope.ts), and a finding's
 *   evidence to its own feeds (FindingResolver).
 */
export type Decision = 'yes' | 'no' | 'masked' | 'counts' | 'ownDepartment' | 'ownFeed' | 'ownProgrammes' | 'lookedUp' | 'assigned';

export interface Visibility {
  /** what the field carries, as api.md's table names it */
  carries: string;
  sight: Readonly<Record<Role, Decision>>;
  /** whose facts these are, for `ownDepartment` */
  department?: FactDepartment;
}

const row = (carries: string, OFFICE: Decision, TOWN: Decision, DEPARTMENT: Decision, ANALYST: Decision, ADMIN: Decision): Visibility => ({
  carries,
  sight: { OFFICE, TOWN, DEPARTMENT, ANALYST, ADMIN },
});

// api.md's rows. ANALYST gets counts only: lists give it their totalCount and no rows
// (src/api/types/Connection.ts), lookups are refused, and no field of a person-level object is read.
const IDENTITY = row('identity', 'yes', 'yes', 'yes', 'counts', 'no');
/** a hop from a person to their household, or from that household to its members */
const FAMILY = row('identity: their household and its members', 'yes', 'yes', 'lookedUp', 'counts', 'no');
const CATEGORIES = row('categories, programme codes, benefit periods', 'yes', 'yes', 'yes', 'counts', 'no');
const AMOUNTS = row('benefit amounts', 'yes', 'yes', 'ownProgrammes', 'counts', 'no');
const DECEASED = row('deceased and its date', 'yes', 'yes', 'yes', 'counts', 'no');
const OBSERVATIONS = row('which feeds know a person or household', 'yes', 'yes', 'ownFeed', 'no', 'no');
const FINDINGS = row('findings, evidence, explanations', 'yes', 'yes', 'assigned', 'counts', 'no');
const EVIDENCE_VALUES = row('evidence values', 'yes', 'yes', 'ownFeed', 'counts', 'no');
/** what a benefit or a fact was read from; its owner decides who reaches it */
const PROVENANCE = row('source record of a visible fact', 'yes', 'yes', 'yes', 'counts', 'no');
const FIGURES = row('counts of a region', 'yes', 'yes', 'no', 'yes', 'no');
// A run's error and counts speak of the registries' records, not of tables: not the analysts'.
const CONNECTORS = row('connectors and their runs', 'yes', 'no', 'no', 'no', 'yes');
const QUARANTINE = row('quarantine', 'yes', 'no', 'no', 'no', 'masked');
const AUDIT = row('the audit trail', 'yes', 'no', 'no', 'no', 'no');
const OFFICE_ONLY = row("the office's decisions and settings", 'yes', 'no', 'no', 'no', 'no');
const PUBLIC = row('public: regions, programmes, rules, parameters, the token itself', 'yes', 'yes', 'yes', 'yes', 'yes');
/** connection edges, cursors, page info: the list's own field decides */
const PLUMBING = row('pagination', 'yes', 'yes', 'yes', 'yes', 'yes');

/** Person.departmentFacts: which department's, the resolver decides by its argument */
const DEPARTMENT_FACTS = row("a department's facts (Person.departmentFacts)", 'yes', 'yes', 'yes', 'no', 'no');

function facts(department: FactDepartment): Visibility {
  return { ...row(`${department}'s facts`, 'yes', 'yes', 'ownDepartment', 'no', 'no'), department };
}

const fields = (type: string, names: string[], v: Visibility) => Object.fromEntries(names.map((n) => [`${type}.${n}`, v]));
const connection = (name: string) => ({
  ...fields(`${name}Connection`, ['edges', 'pageInfo', 'totalCount', 'totalCountSuppressed'], PLUMBING),
  ...fields(`${name}Edge`, ['cursor', 'node'], PLUMBING),
});

export const FIELD_VISIBILITY: Readonly<Record<string, Visibility>> = {
  // Operations: a lookup by ID number is the department's way in; it lists nothing of the city.
  'Query.person': row('a person by ID number', 'yes', 'yes', 'yes', 'no', 'no'),
  'Query.persons': row('a list of the city’s people', 'yes', 'yes', 'no', 'yes', 'no'),
  'Query.households': row('a list of the city’s households', 'yes', 'yes', 'no', 'yes', 'no'),
  'Query.household': row('a household by id', 'yes', 'yes', 'no', 'no', 'no'),
  'Query.findings': row('a list of findings', 'yes', 'yes', 'assigned', 'yes', 'no'),
  'Query.finding': row('a finding by id', 'yes', 'yes', 'assigned', 'no', 'no'),
  'Query.coverage': FIGURES,
  'Query.connectors': CONNECTORS,
  'Query.quarantine': QUARANTINE,
  'Query.auditTrail': AUDIT,
  ...fields('Query', ['regions', 'region', 'programmes', 'rules', 'parameterDefinitions', 'viewer'], PUBLIC),
  ...fields('Mutation', ['reviewFindings', 'setParameter', 'registerOperation'], OFFICE_ONLY),

  ...fields('Person', ['id', 'idNumber', 'name', 'sex', 'birthDate', 'birthYear', 'region'], IDENTITY),
  'Person.household': FAMILY,
  ...fields('Person', ['categories', 'benefits'], CATEGORIES),
  'Person.deceasedOn': DECEASED,
  'Person.findings': FINDINGS,
  'Person.disability': facts('disability'),
  'Person.schooling': facts('education'),
  'Person.medicalSettlements': facts('health'),
  'Person.death': facts('health'),
  'Person.housing': facts('housing'),
  'Person.poverty': facts('poverty-relief'),
  'Person.economicFacts': facts('economic-check'),
  // A department's facts without a field of their own: its resolver refuses a DEPARTMENT token
  // another department's (permission facts:<department>) and narrows rows to its own feed.
  'Person.departmentFacts': DEPARTMENT_FACTS,
  ...fields('DepartmentFact', ['table', 'validFrom', 'validTo', 'values', 'source'], DEPARTMENT_FACTS),
  ...fields('FactValue', ['name', 'value'], DEPARTMENT_FACTS),
  'Person.observations': OBSERVATIONS,
  ...fields('PersonObservation', ['feed', 'name', 'regionCode', 'observedAt'], OBSERVATIONS),

  ...fields('Household', ['id', 'registrationType', 'address', 'region'], IDENTITY),
  ...fields('Household', ['head', 'members'], FAMILY),
  'Household.sources': OBSERVATIONS,
  ...fields('HouseholdSource', ['feed', 'recordKey'], OBSERVATIONS),
  'Household.benefits': CATEGORIES,
  'Household.findings': FINDINGS,
  ...fields('Member', ['person', 'relationCode', 'selfCare', 'from', 'to', 'feed'], IDENTITY),

  ...fields('Benefit', ['id', 'programmeCode', 'programme', 'periodStart', 'periodEnd', 'paidOn', 'approvalLevel', 'supportMode', 'approvalRef', 'region', 'source'], CATEGORIES),
  'Benefit.amount': AMOUNTS,
  // A benefit's owner is the person or household it was reached from: no hop onwards for a department.
  ...fields('Benefit', ['person', 'household'], row('identity: a benefit’s owner', 'yes', 'yes', 'no', 'counts', 'no')),
  ...fields('SourceRecord', ['feed', 'stream', 'recordKey', 'versionAt', 'receivedAt'], PROVENANCE),

  ...fields('DisabilityCertificate', ['certificateNo', 'category', 'grade', 'status', 'issuedOn', 'validUntil', 'regionCode', 'source'], facts('disability')),
  ...fields('Schooling', ['studentNo', 'school', 'stage', 'grade', 'status', 'term', 'aid', 'regionCode', 'source'], facts('education')),
  ...fields('MedicalSettlement', ['settledOn', 'totalCost', 'insurancePaid', 'assistancePaid', 'outOfPocket', 'diagnosis', 'catastrophic', 'source'], facts('health')),
  ...fields('Death', ['diedOn', 'regionCode', 'source'], facts('health')),
  ...fields('Housing', ['security', 'dangerousHouses'], facts('housing')),
  ...fields('DangerousHouse', ['rating', 'assessedOn', 'renovationStatus', 'subsidy', 'regionCode', 'source'], facts('housing')),
  ...fields('PovertyRecord', ['householdNo', 'relationCode', 'identifiedYear', 'povertyStatus', 'monitoringType', 'mainRisk', 'incomePerCapita', 'regionCode', 'snapshotDate', 'source'], facts('poverty-relief')),
  ...fields('EconomicFact', ['kind', 'item', 'value', 'unit', 'asOf', 'source'], facts('economic-check')),

  ...fields('Finding', [
    'id', 'rule', 'clauses', 'ruleVersion', 'kind', 'status', 'resolved', 'identity', 'item', 'periodStart', 'periodEnd', 'asOf', 'detail',
    'openedAt', 'clearedAt', 'person', 'household', 'region', 'evidence', 'parameters', 'decisions',
  ], FINDINGS),
  ...fields('Evidence', ['feed', 'stream', 'recordKey', 'arrivedAt', 'versionAt'], FINDINGS),
  'Evidence.values': EVIDENCE_VALUES,
  ...fields('FindingDecision', ['decision', 'reason', 'approvalRef', 'decidedBy', 'decidedAt'], FINDINGS),
  ...fields('ParameterUse', ['name', 'regionCode', 'validFrom', 'value'], PUBLIC),

  ...fields('Coverage', ['regionCode', 'asOf', 'persons', 'personsSuppressed', 'byCategory', 'openFindings', 'overdue', 'children'], FIGURES),
  ...fields('CategoryCount', ['category', 'persons', 'suppressed'], FIGURES),
  ...fields('RuleCount', ['rule', 'count', 'suppressed'], FIGURES),
  ...fields('OverdueCount', ['assignedTo', 'count', 'suppressed'], FIGURES),

  ...fields('Connector', ['name', 'department', 'schedule', 'configured', 'nextRunAt', 'lastRun', 'runs'], CONNECTORS),
  ...fields('SyncRun', ['id', 'connector', 'status', 'startedAt', 'finishedAt', 'read', 'inserted', 'updated', 'unchanged', 'ended', 'quarantined', 'error'], CONNECTORS),
  ...fields('QuarantinedRecord', ['id', 'connector', 'stream', 'recordKey', 'reason', 'field', 'value', 'location', 'raw', 'receivedAt'], QUARANTINE),
  ...fields('AuditEvent', [
    'id', 'at', 'tokenId', 'tokenLabel', 'role', 'regionCode', 'department', 'operationType', 'operation', 'querySha256', 'purpose', 'personIds', 'persons',
  ], AUDIT),
  ...fields('RegisteredOperation', ['sha256', 'name', 'department', 'registeredBy', 'registeredAt'], OFFICE_ONLY),

  ...fields('RegionType', ['code', 'name', 'level', 'parent', 'children'], PUBLIC),
  ...fields('Programme', ['code', 'name', 'nameEn', 'sourceFeed', 'level', 'kind', 'cash'], PUBLIC),
  ...fields('Rule', ['code', 'title', 'titleZh', 'version', 'kind', 'subjectType', 'legalReference', 'parameters'], PUBLIC),
  ...fields('Parameter', ['name', 'regionCode', 'validFrom', 'value', 'unit', 'definition'], PUBLIC),
  ...fields('ParameterDefinition', ['name', 'type', 'unit', 'minimum', 'maximum', 'decimals', 'description', 'expected'], PUBLIC),
  ...fields('Viewer', ['role', 'regionCode', 'department', 'label', 'tokenId', 'permissions'], PUBLIC),
  ...fields('PageInfo', ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor'], PLUMBING),
  ...connection('Person'),
  ...connection('Household'),
  ...connection('Finding'),
  ...connection('Quarantine'),
  ...connection('AuditEvent'),

  // screening (issue 14): api.md's row "screenings and their rows, reasons and evidence" — TOWN the
  // lists of its region, DEPARTMENT those it submitted and the approved lists of its programmes
  // (the resolvers scope rows in SQL and refuse a department another's rows), ANALYST counts only.
  ...fields('Query', ['screening', 'screenings'], row('screenings', 'yes', 'yes', 'yes', 'yes', 'no')),
  ...fields('Mutation', ['createScreening', 'rescreen', 'withdrawScreening'], row('submitting a proposed list', 'yes', 'yes', 'yes', 'no', 'no')),
  'Mutation.evaluateScreeningRows': row('evaluating a proposed list', 'yes', 'yes', 'no', 'no', 'no'),
  ...fields('Screening', ['id', 'programme', 'year', 'regionCode', 'title', 'asOf', 'withdrawn', 'createdAt'], row('a screening', 'yes', 'yes', 'yes', 'yes', 'no')),
  // a list's verdict counts are exact and small: ANALYST gets the lists' totalCount (disclosed as every count it reads)
  ...fields('Screening', ['submittedBy', 'counts', 'rows', 'approved'], row('screening rows', 'yes', 'yes', 'yes', 'counts', 'no')),
  ...fields('VerdictCount', ['verdict', 'rows'], row('counts of a screening', 'yes', 'yes', 'yes', 'counts', 'no')),
  ...fields('ScreeningRow', ['id', 'rowNumber', 'idNumber', 'name', 'amount', 'startDate', 'note', 'verdict', 'reasons', 'evaluations', 'history'], row('screening rows', 'yes', 'yes', 'yes', 'counts', 'no')),
  ...fields('ScreeningReason', ['code', 'clauses', 'evidence'], row('screening reasons and evidence', 'yes', 'yes', 'yes', 'counts', 'no')),
  ...fields('Evaluation', ['decision', 'note', 'approvalRef', 'decidedBy', 'decidedAt'], row('evaluations of screening rows', 'yes', 'yes', 'yes', 'counts', 'no')),
  ...fields('ScreeningJudgement', ['asOf', 'judgedAt', 'verdict', 'reasons'], row('screening rows', 'yes', 'yes', 'yes', 'counts', 'no')),
  // A DEPARTMENT reaches Evidence only through ScreeningReason.evidence, already narrowed to its
  // own feed (a finding's evidence stays refused to it: Finding.evidence is `assigned`).
  ...fields('Evidence', ['feed', 'stream', 'recordKey', 'arrivedAt', 'versionAt'], row('findings, evidence, explanations', 'yes', 'yes', 'ownFeed', 'counts', 'no')),
  ...connection('Screening'),
  ...connection('ScreeningRow'),

  // reports, sources, coverage for the office (issue 15): a region's name and residents are public
  // statistics beside its counts; reports are counts (ANALYST reads their coverage, disclosed as every
  // count, and not the per-rule, per-list and per-source rows); sources as "connectors, runs, sources".
  ...fields('Coverage', ['name', 'residents', 'previous'], FIGURES),
  ...fields('Query', ['reports', 'report'], row('monthly reports', 'yes', 'yes', 'no', 'yes', 'no')),
  ...fields('Report', ['month', 'asOf', 'madeAt', 'coverage'], row('monthly reports', 'yes', 'yes', 'no', 'yes', 'no')),
  ...fields('Report', ['findings', 'screenings'], row('monthly reports: rows by rule and list', 'yes', 'yes', 'no', 'no', 'no')),
  ...fields('RuleStatusCount', ['rule', 'opened', 'cleared', 'decided', 'openAtEnd'], row('monthly reports', 'yes', 'yes', 'no', 'no', 'no')),
  ...fields('ScreeningCount', [
    'screeningId', 'title', 'programmeCode', 'year', 'regionCode', 'rows', 'pass', 'review', 'leadingGroup', 'reject', 'approved', 'rejected', 'referred',
  ], row('monthly reports', 'yes', 'yes', 'no', 'no', 'no')),
  ...connection('Report'),
  ...fields('Query', ['sources'], row('sources', 'yes', 'yes', 'no', 'no', 'yes')),
  'Report.sources': row('sources', 'yes', 'yes', 'no', 'no', 'no'),
  ...fields('Source', [
    'connector', 'department', 'lastSuccessAt', 'dataDate', 'maxAgeDays', 'stale', 'records', 'quarantined', 'quarantineShare', 'quarantineByReason', 'persons',
    'matchRate', 'conflicts',
  ], row('sources', 'yes', 'yes', 'no', 'no', 'yes')),
  ...fields('ReasonCount', ['reason', 'count'], row('sources', 'yes', 'yes', 'no', 'no', 'yes')),

  // exchange (issue 16), exchange.md: the office assigns; the assignee (a department, or a town
  // inside whose region the assignment lies) reports back; matching by ID number gives categories
  // and programmes only (ANALYST no lookups); the change log and its webhooks for OFFICE, TOWN and
  // DEPARTMENT (ADMIN reads the SYNC_FAILED / SOURCE_STALE events, which carry no person). Rows are
  // scoped in SQL (./changeScope.ts, ./assignmentScope.ts).
  'Mutation.assignFindings': OFFICE_ONLY,
  'Mutation.reportVerification': row('a report on an assigned finding', 'no', 'yes', 'yes', 'no', 'no'),
  ...fields('Finding', ['assignments', 'verifications'], FINDINGS),
  ...fields('Assignment', ['to', 'dueOn', 'note', 'assignedBy', 'assignedAt'], FINDINGS),
  ...fields('Verification', ['result', 'visitedOn', 'note', 'reportedBy', 'reportedAt'], FINDINGS),
  'Query.match': row('categories and programme codes of people by ID number', 'yes', 'yes', 'yes', 'no', 'no'),
  ...fields('MatchResult', ['input', 'idNumber', 'valid', 'known', 'categories', 'programmes'], row('a match', 'yes', 'yes', 'yes', 'no', 'no')),
  'Query.changes': row('the change log', 'yes', 'yes', 'yes', 'no', 'yes'),
  ...connection('Change'),
  ...fields('Change', ['cursor', 'kind', 'at', 'effectiveOn', 'category', 'programme', 'findingId', 'regionCode', 'connector'], row('the change log', 'yes', 'yes', 'yes', 'no', 'yes')),
  'Change.person': row('identity: whom an event is about', 'yes', 'yes', 'yes', 'no', 'no'),
  'Query.subscriptions': row('webhook subscriptions', 'yes', 'yes', 'yes', 'no', 'no'),
  ...fields('Mutation', ['createSubscription', 'deleteSubscription'], row('webhook subscriptions', 'yes', 'yes', 'yes', 'no', 'no')),
  ...fields('WebhookSubscription', ['id', 'url', 'kinds', 'secret', 'deliveredCursor', 'lastError', 'createdAt'], row('webhook subscriptions', 'yes', 'yes', 'yes', 'no', 'no')),
  // analysts (issue 17): tables of counts and money, disclosed as every count is (ANALYST
  // suppressed and rounded, TOWN its own region exact); no department lists the city.
  ...fields('Query', ['personsAggregate', 'benefitsAggregate'], row('aggregates of a region', 'yes', 'yes', 'no', 'yes', 'no')),
  ...fields('PersonGroup', ['keys', 'count', 'suppressed'], row('aggregates of a region', 'yes', 'yes', 'no', 'yes', 'no')),
  ...fields('BenefitGroup', ['keys', 'count', 'suppressed', 'persons', 'sum', 'avg'], row('aggregates of a region', 'yes', 'yes', 'no', 'yes', 'no')),
  ...fields('GroupKey', ['key', 'value', 'name'], row('aggregates of a region', 'yes', 'yes', 'no', 'yes', 'no')),
  // explain (issue 17, api.md "Explain"): as findings and evidence; a department explains the person it
  // looks up by ID number, with values and evidence of its own feeds only (src/api/explanations.ts)
  'Query.explain': row('an explanation of a rule for a subject', 'yes', 'yes', 'yes', 'counts', 'no'),
  'Finding.explanation': FINDINGS,
  ...fields('Explanation', ['rule', 'item', 'asOf', 'holds', 'clauses', 'conditions'], row('explanations', 'yes', 'yes', 'yes', 'counts', 'no')),
  ...fields('Condition', ['name', 'text', 'clause', 'holds', 'values', 'said', 'parameters', 'evidence'], row('explanations', 'yes', 'yes', 'yes', 'counts', 'no')),
  'Rule.conditions': PUBLIC,
  ...fields('RuleCondition', ['name', 'text', 'clause', 'parameters'], PUBLIC),
  // the root list of benefits: rows as a person's benefits show them, no listing of the city for a department
  'Query.benefits': row('a list of the city’s benefits', 'yes', 'yes', 'no', 'yes', 'no'),
  ...connection('Benefit'),
};

export function visibilityOf(typeName: string, fieldName: string): Visibility | undefined {
  return FIELD_VISIBILITY[`${typeName}.${fieldName}`];
}

/** The decision for this viewer on `Type.field`; `no` for a field nobody decided on. */
export function decisionFor(viewer: Viewer, typeName: string, fieldName: string): Decision {
  return visibilityOf(typeName, fieldName)?.sight[viewer.role] ?? 'no';
}

/** The parent object's place in the answer, list indices skipped. */
function parentPath(info: GraphQLResolveInfo): GraphQLResolveInfo['path'] | undefined {
  let p = info.path.prev;
  while (p && typeof p.key === 'number') p = p.prev;
  return p;
}

/**
 * Whether the parent object is the person a DEPARTMENT looked up (the root field's answer) or
 * that person's household: its only root field reaching people is `person(idNumber:)`.
 */
function onLookedUpFamily(info: GraphQLResolveInfo): boolean {
  const parent = parentPath(info);
  if (!parent) return false;
  if (parent.typename === 'Query') return info.parentType.name === 'Person';
  if (info.parentType.name !== 'Household' || parent.typename !== 'Person') return false;
  let person = parent.prev;
  while (person && typeof person.key === 'number') person = person.prev;
  return person?.typename === 'Query';
}

function refusal(viewer: Viewer, info: GraphQLResolveInfo, why: string) {
  return forbidden(`${info.parentType.name}.${info.fieldName}: ${describeViewer(viewer)} may not read this (${why})`);
}

/** What the table needs of a request's context; the API's context (src/api/context.ts) is one. */
export interface VisibilityContext {
  viewer: Viewer;
  loaders: { programmeByCode: { load(code: string): Promise<{ sourceFeed: string } | null> } };
}

/**
 * The table applied to every field resolved. Refusals are FORBIDDEN naming the field and the
 * token; department narrowing (own feed, own programmes) leaves other departments' values out.
 *
 * Applied to the built schema, field by field, rather than as a type-graphql middleware: a
 * middleware turns every field of an answer into a promise, and a page of fifty households is
 * thousands of fields. Here a field the role may read whole is resolved exactly as before,
 * synchronously where its resolver is.
 */
export function withFieldVisibility<S extends GraphQLSchema>(schema: S): S {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      field.resolve = visible(type.name, field.name, field.resolve ?? defaultFieldResolver);
    }
  }
  return schema;
}

function visible(typeName: string, fieldName: string, resolve: GraphQLFieldResolver<unknown, VisibilityContext>): GraphQLFieldResolver<unknown, VisibilityContext> {
  const visibility = visibilityOf(typeName, fieldName);
  return (root, args, context, info) => {
    const { viewer } = context;
    if (!visibility) throw refusal(viewer, info, 'nobody has decided who may read it');
    switch (visibility.sight[viewer.role]) {
      case 'yes':
      case 'masked':
        return resolve(root, args, context, info);
      case 'no':
        throw refusal(viewer, info, visibility.carries);
      case 'counts':
        throw refusal(viewer, info, `${visibility.carries}: counts only`);
      case 'assigned':
        // the rows reached are already those assigned to its department, in SQL (./assignmentScope.ts)
        return resolve(root, args, context, info);
      case 'ownDepartment':
        if (viewer.department !== visibility.department) throw refusal(viewer, info, visibility.carries);
        return resolve(root, args, context, info);
      case 'lookedUp':
        if (!onLookedUpFamily(info)) throw refusal(viewer, info, 'only the person it looked up by ID number and their household');
        return resolve(root, args, context, info);
      case 'ownFeed':
        return then(resolve(root, args, context, info), (value) => {
          if (Array.isArray(value)) return value.filter((r) => r?.feed === viewer.department);
          return (root as { feed?: string })?.feed === viewer.department ? value : null;
        });
      case 'ownProgrammes':
        return then(resolve(root, args, context, info), async (value) => {
          const code = (root as { programmeCode?: string }).programmeCode;
          const programme = code ? await context.loaders.programmeByCode.load(code) : null;
          return programme?.sourceFeed === viewer.department ? value : null;
        });
    }
  };
}

function then<T>(value: T | Promise<T>, next: (v: T) => unknown): unknown {
  return value instanceof Promise ? value.then(next) : next(value);
}
