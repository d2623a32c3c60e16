import { G3 } from './G3';
import { G3Cases } from './G3.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(G3, G3Cases);
