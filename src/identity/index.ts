/** Identity and value parsing shared by every feed: ID numbers, dates, amounts, relations, regions. */
export { normaliseIdNumber, checkDigit, maskIdNumber, maskIdNumbersIn } from './idNumber';
export type { IdFault, IdResult, IdOptions } from './idNumber';
export { parseBusinessDate, isoDateInShanghai, addDays, todayInShanghai } from './businessDate';
export type { DateResult } from './businessDate';
export { parseAmount, parseCount } from './amount';
export type { AmountResult, CountResult } from './amount';
export { normaliseRelation, relationKind } from './relation';
export type { RelationKind, RelationResult } from './relation';
export { normaliseRegionCode, regionLevel } from './regionCode';
export type { RegionLevel, RegionCodeResult } from './regionCode';
