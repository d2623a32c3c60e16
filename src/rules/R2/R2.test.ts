import { R2 } from './R2';
import { R2Cases } from './R2.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(R2, R2Cases);
