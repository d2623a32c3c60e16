import { Migration20261128000001Graph } from './Migration20261128000001Graph';
import { Migration20261128000002Rules } from './Migration20261128000002Rules';
import { Migration20261128000003Access } from './Migration20261128000003Access';
import { Migration20261128000004RulesSpeed } from './Migration20261128000004RulesSpeed';
import { Migration20261128000005IngestSpeed } from './Migration20261128000005IngestSpeed';
import { Migration20261128000006ScopedRules } from './Migration20261128000006ScopedRules';
import { Migration20261206000007TokenNotify } from './Migration20261206000007TokenNotify';
import { Migration20261206000008ParameterTypes } from './Migration20261206000008ParameterTypes';
import { Migration20261206000009QuarantineAudit } from './Migration20261206000009QuarantineAudit';
import { Migration20261206000010Concepts } from './Migration20261206000010Concepts';
import { Migration20261206000012CategoryOnDay } from './Migration20261206000012CategoryOnDay';
import { Migration20261206000013Screening } from './Migration20261206000013Screening';
import { Migration20261206000014MembershipVersions } from './Migration20261206000014MembershipVersions';
import { Migration20261206000015Reports } from './Migration20261206000015Reports';
import { Migration20261206000016Exchange } from './Migration20261206000016Exchange';
import { Migration20261206000018DeliveryContent } from './Migration20261206000018DeliveryContent';
import { Migration20261206000019DeliverySeen } from './Migration20261206000019DeliverySeen';
import { Migration20261206000020DeferredIndexes } from './Migration20261206000020DeferredIndexes';

/** Every migration in order. Listed explicitly so that no file-system scan decides what runs. */
export const migrations = [
  { name: 'Migration20261128000001Graph', class: Migration20261128000001Graph },
  { name: 'Migration20261128000002Rules', class: Migration20261128000002Rules },
  { name: 'Migration20261128000003Access', class: Migration20261128000003Access },
  { name: 'Migration20261128000004RulesSpeed', class: Migration20261128000004RulesSpeed },
  { name: 'Migration20261128000005IngestSpeed', class: Migration20261128000005IngestSpeed },
  { name: 'Migration20261128000006ScopedRules', class: Migration20261128000006ScopedRules },
  { name: 'Migration20261206000007TokenNotify', class: Migration20261206000007TokenNotify },
  { name: 'Migration20261206000008ParameterTypes', class: Migration20261206000008ParameterTypes },
  { name: 'Migration20261206000009QuarantineAudit', class: Migration20261206000009QuarantineAudit },
  { name: 'Migration20261206000010Concepts', class: Migration20261206000010Concepts },
  { name: 'Migration20261206000012CategoryOnDay', class: Migration20261206000012CategoryOnDay },
  { name: 'Migration20261206000013Screening', class: Migration20261206000013Screening },
  { name: 'Migration20261206000014MembershipVersions', class: Migration20261206000014MembershipVersions },
  { name: 'Migration20261206000015Reports', class: Migration20261206000015Reports },
  { name: 'Migration20261206000016Exchange', class: Migration20261206000016Exchange },
  { name: 'Migration20261206000018DeliveryContent', class: Migration20261206000018DeliveryContent },
  { name: 'Migration20261206000019DeliverySeen', class: Migration20261206000019DeliverySeen },
  { name: 'Migration20261206000020DeferredIndexes', class: Migration20261206000020DeferredIndexes },
];
