import { G6 } from './G6';
import { G6Cases } from './G6.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(G6, G6Cases);
