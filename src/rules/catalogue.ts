import type { RuleDefinition } from './engine/ruleDefinition';
import { D2 } from './D2/D2';
import { R1 } from './R1/R1';

/** Every rule, in the order the office reads them: dual benefits, gaps, compliance. */
export const ruleCatalogue: readonly RuleDefinition[] = [D2, R1];
