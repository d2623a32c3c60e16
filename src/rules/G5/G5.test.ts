import { G5 } from './G5';
import { G5Cases } from './G5.cases';
import { describeRuleCases } from '../cases/describeRuleCases';

describeRuleCases(G5, G5Cases);
