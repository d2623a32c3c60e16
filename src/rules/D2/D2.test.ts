import { D2 } from './D2';
import { D2Cases } from './D2.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(D2, D2Cases);
