import { G2 } from './G2';
import { G2Cases } from './G2.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(G2, G2Cases);
