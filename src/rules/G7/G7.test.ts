import { G7 } from './G7';
import { G7Cases } from './G7.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(G7, G7Cases);
