import { R4 } from './R4';
import { R4Cases } from './R4.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(R4, R4Cases);
