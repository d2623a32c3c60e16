import { G1 } from './G1';
import { G1Cases } from './G1.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(G1, G1Cases);
