import 'reflect-metadata';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AccessResolver } from './resolvers/AccessResolver';
import { BenefitResolver } from './resolvers/BenefitResolver';
import { ConnectorResolver, SyncRunResolver } from './resolvers/ConnectorResolver';
import { HouseholdResolver, MemberResolver } from './resolvers/HouseholdResolver';
import { ParameterResolver } from './resolvers/ParameterResolver';
import { PersonResolver } from './resolvers/PersonResolver';
import { PersonFactsResolver } from './resolvers/PersonFactsResolver';
import { DepartmentFactsResolver } from './resolvers/DepartmentFactsResolver';
import { RegionResolver } from './resolvers/RegionResolver';
import { HouseholdSourceResolver, SourceRecordResolver } from './resolvers/SourceResolver';
import { DateTimeScalar } from './scalars';
import { FindingResolver, HouseholdFindingsResolver, PersonFindingsResolver, RuleResolver } from './resolvers/FindingResolver';
import { CoverageResolver } from './resolvers/CoverageResolver';
import { AnalystResolver } from './resolvers/AnalystResolver';
import { ExplainResolver, FindingExplanationResolver, RuleConditionsResolver } from './resolvers/ExplainResolver';
import { ReportResolver } from './resolvers/ReportResolver';
import { ScreeningResolver, ScreeningRowResolver } from './resolvers/ScreeningResolver';
import { ChangeResolver, ExchangeResolver, FindingAssignmentResolver } from './resolvers/ExchangeResolver';
import { authChecker } from '../auth/policy';
import { withFieldVisibility } from '../auth/fieldVisibility';
import { withAuditedSubjects } from '../auth/auditSubjects';
import { withDisclosureControl } from '../auth/disclosure';

let built: Promise<GraphQLSchema> | undefined;

/** The hub's GraphQL schema, built once per process. `@Authorized(permission)` is checked by the role policy, every field by the visibility table. */
export function hubSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [
      FindingResolver, RuleResolver, PersonFindingsResolver, HouseholdFindingsResolver, CoverageResolver, PersonResolver, PersonFactsResolver, DepartmentFactsResolver,
      HouseholdResolver, MemberResolver, BenefitResolver, RegionResolver, ConnectorResolver, SyncRunResolver, SourceRecordResolver, HouseholdSourceResolver,
      AccessResolver, ParameterResolver, ScreeningResolver, ScreeningRowResolver,
      // reports, sources, coverage for the office (issue 15)
      ReportResolver,
      // departments and towns in the loop: assignments, matching, change notices (issue 16)
      ExchangeResolver, FindingAssignmentResolver, ChangeResolver,
      // analysts' questions: where, orderBy, aggregates (issue 17)
      AnalystResolver,
      // explain: why, and why not (issue 17)
      ExplainResolver, FindingExplanationResolver, RuleConditionsResolver,
    ],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    authChecker,
    authMode: 'error',
    validate: false,
    emitSchemaFile: false,
    // api.md's "Who sees which field", on every field whatever path reached it; then the analysts' tables
  })
    .then(withFieldVisibility)
    // whom the answer is about, for the audit trail
    .then(withAuditedSubjects)
    .then(withDisclosureControl);
  return built;
}

/** The published SDL (`schema/schema.graphql`): sorted, so the committed file changes only with the schema. */
export async function printHubSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await hubSchema()))}\n`;
}
