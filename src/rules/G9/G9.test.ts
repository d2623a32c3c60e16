import { G9 } from './G9';
import { G9Cases } from './G9.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(G9, G9Cases);
