import { R1 } from './R1';
import { R1Cases } from './R1.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(R1, R1Cases);
