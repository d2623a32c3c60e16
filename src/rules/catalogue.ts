import type { RuleDefinition } from './engine/ruleDefinition';
import { D1a, D1b } from './D1/D1';
import { D2 } from './D2/D2';
import { D3 } from './D3/D3';
import { D4 } from './D4/D4';
import { D5 } from './D5/D5';
import { D6 } from './D6/D6';
import { G1 } from './G1/G1';
import { G2 } from './G2/G2';
import { G3 } from './G3/G3';
import { G4 } from './G4/G4';
import { G5 } from './G5/G5';
import { G6 } from './G6/G6';
import { G7 } from './G7/G7';
import { G8 } from './G8/G8';
import { G9 } from './G9/G9';
import { R1 } from './R1/R1';
import { R2 } from './R2/R2';
import { R3 } from './R3/R3';
import { R4 } from './R4/R4';

/** Every rule of rules.md, in the order the office reads them: dual benefits, gaps, compliance. */
export const ruleCatalogue: readonly RuleDefinition[] = [D1a, D1b, D2, D3, D4, D5, D6, G1, G2, G3, G4, G5, G6, G7, G8, G9, R1, R2, R3, R4];
