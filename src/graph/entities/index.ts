import type { EntityClass } from '@mikro-orm/core';
import { Benefit } from './Benefit';
import { Fact } from './Fact';
import { ConnectorBookmark } from './ConnectorBookmark';
import { Household } from './Household';
import { HouseholdRecord } from './HouseholdRecord';
import { Membership } from './Membership';
import { Person } from './Person';
import { Programme } from './Programme';
import { QuarantinedRecord } from './QuarantinedRecord';
import { Region } from './Region';
import { Registration } from './Registration';
import { SourceRecord } from './SourceRecord';
import { SyncRun } from './SyncRun';

export { Benefit, ConnectorBookmark, Household, HouseholdRecord, Membership, Person, Programme, QuarantinedRecord, Region, Registration, SourceRecord, SyncRun };

/** Every entity, as MikroORM discovers them: each table of the hub has one (tests/graph/entitiesMatchMigrations.test.ts). */
export const entities: EntityClass<any>[] = [Fact, Benefit, ConnectorBookmark, Household, HouseholdRecord, Membership, Person, Programme, QuarantinedRecord, Region, Registration, SourceRecord, SyncRun, AccessSecret, AccessToken, FindingDecision, Parameter, ParameterDefinition, RegisteredOperation];

// The tables written through the EntityManager: access control, parameters, reviews.
import { AccessSecret } from './AccessSecret';
import { AccessToken } from './AccessToken';
import { FindingDecision } from './FindingDecision';
import { Parameter } from './Parameter';
import { ParameterDefinition } from './ParameterDefinition';
import { RegisteredOperation } from './RegisteredOperation';

export { AccessSecret, AccessToken, FindingDecision, Parameter, ParameterDefinition, RegisteredOperation };

// The department facts, the per-feed observations, which feed speaks first, the rules' runs and
// findings, and the audit trail.
import { AuditEvent } from './AuditEvent';
import { DangerousHouse } from './DangerousHouse';
import { DeathRecord } from './DeathRecord';
import { DisabilityCertificate } from './DisabilityCertificate';
import { EconomicFact } from './EconomicFact';
import { FeedPrecedence } from './FeedPrecedence';
import { Finding } from './Finding';
import { MedicalSettlement } from './MedicalSettlement';
import { PersonObservation } from './PersonObservation';
import { PovertyRecord } from './PovertyRecord';
import { RegionStat } from './RegionStat';
import { RuleRun } from './RuleRun';
import { Schooling } from './Schooling';

export { AuditEvent, DangerousHouse, DeathRecord, DisabilityCertificate, EconomicFact, FeedPrecedence, Finding, MedicalSettlement, PersonObservation, PovertyRecord, RegionStat, RuleRun, Schooling };

entities.push(AuditEvent, DangerousHouse, DeathRecord, DisabilityCertificate, EconomicFact, FeedPrecedence, Finding, MedicalSettlement, PersonObservation, PovertyRecord, RegionStat, RuleRun, Schooling);

// The office's screenings of proposed lists and their evaluation (office.md, issue 14).
import { Screening } from './Screening';
import { ScreeningEvaluation } from './ScreeningEvaluation';
import { ScreeningJudgement } from './ScreeningJudgement';
import { ScreeningReason } from './ScreeningReason';
import { ScreeningRow } from './ScreeningRow';

export { Screening, ScreeningEvaluation, ScreeningJudgement, ScreeningReason, ScreeningRow };

entities.push(Screening, ScreeningEvaluation, ScreeningJudgement, ScreeningReason, ScreeningRow);

// The office's monthly reports, frozen (office.md "Monthly reports", issue 15).
import { MonthlyReport } from './MonthlyReport';
import { MonthlyReportRegion } from './MonthlyReportRegion';

export { MonthlyReport, MonthlyReportRegion };

entities.push(MonthlyReport, MonthlyReportRegion);

// exchange (issue 16): assignments and report-back, the change log, webhook subscriptions.
import { ChangeEvent } from './ChangeEvent';
import { FindingAssignment } from './FindingAssignment';
import { FindingVerification } from './FindingVerification';
import { PersonCategoryState } from './PersonCategoryState';
import { WebhookSubscription, WebhookSubscriptionPerson } from './WebhookSubscription';

export { ChangeEvent, FindingAssignment, FindingVerification, PersonCategoryState, WebhookSubscription, WebhookSubscriptionPerson };

entities.push(ChangeEvent, FindingAssignment, FindingVerification, PersonCategoryState, WebhookSubscription, WebhookSubscriptionPerson);

// what registries delivered, kept once as delivered (issue 18)
import { DeliveredPage, DeliveryContent, DeliverySeen } from './DeliveryContent';

export { DeliveredPage, DeliveryContent, DeliverySeen };

entities.push(DeliveryContent, DeliveredPage, DeliverySeen);

// a first load's deferred indexes and foreign keys, until built again (issue 18)
import { DeferredIndex } from './DeferredIndex';

export { DeferredIndex };

entities.push(DeferredIndex);
