import { D6 } from './D6';
import { D6Cases } from './D6.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(D6, D6Cases);
