import { R3 } from './R3';
import { R3Cases } from './R3.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(R3, R3Cases);
