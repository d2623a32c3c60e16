import { G8 } from './G8';
import { G8Cases } from './G8.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(G8, G8Cases);
