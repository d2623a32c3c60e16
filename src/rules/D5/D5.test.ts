import { D5 } from './D5';
import { D5Cases } from './D5.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(D5, D5Cases);
