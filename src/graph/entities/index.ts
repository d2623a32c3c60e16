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

export const entities = [Fact, Benefit, ConnectorBookmark, Household, HouseholdRecord, Membership, Person, Programme, QuarantinedRecord, Region, Registration, SourceRecord, SyncRun];
