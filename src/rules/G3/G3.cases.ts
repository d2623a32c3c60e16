import { type RuleCase } from '../cases/ruleCase';
import {
  deathCertificate, household, idNo, member, orphanAllowance, povertyReliefHousehold, povertySnapshot, unsupportedChildAllowance, type Member,
} from '../cases/caseBuilders';

/** G3 in situations: the civil-affairs household that lists the child and the parents, deaths, GE/SW grants and poverty-relief households. */
const FATHER = idNo('37108319820823087');
const MOTHER = idNo('37108319820509044');
const CHILD = idNo('37108320190606151');
const GRANDMOTHER = idNo('37108319550312042');
const key = (id: string) => `G3|person|${id}`;

const RUSHAN = '371083104232';
const father = member(FATHER, { name: '周志强' });
const mother = member(MOTHER, { name: '于燕', relation: '02' });
const grandmother = member(GRANDMOTHER, { name: '于燕' });
/** the child as 独生子 (11) of the head unless said */
const son = (id = CHILD, relation = '11') => member(id, { name: '周子轩', relation });
/** the family's civil-affairs household in 乳山市, headed by the father unless said */
const familyHousehold = (members: Member[], head = FATHER) =>
  household(head, { hhId: 'MZ-371083-900007', region: RUSHAN, address: '乳山市测试地址7号', hukou: '农村', members, updated: '2026-01-05T10:00:00+08:00' });
const died = (person: string, on: string, n: number) => deathCertificate(person, on, { number: `SZ37108320250090${n}`, region: RUSHAN });
const bothParentsDied = [died(FATHER, '2025-12-12', 1), died(MOTHER, '2025-10-27', 2)];
const allowance = { name: '周子轩', region: RUSHAN };
/** the family as a registered-poor household: father (01), mother (02), son (11) */
const povertyRelief = povertySnapshot(
  '2026-10-31',
  povertyReliefHousehold(FATHER, [{ person: FATHER, relation: '01' }, { person: MOTHER, relation: '02' }, { person: CHILD, relation: '11' }], { region: RUSHAN }),
);

export const G3Cases: RuleCase[] = [
  {
    name: 'a son under 18 whose father (head) and mother both died, no GE or SW',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [familyHousehold([father, mother, son()])] }, health: { deaths: bothParentsDied } },
    expect: [key(CHILD)],
  },
  {
    name: 'a daughter (code 20–29) counts as well',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [familyHousehold([father, mother, son(CHILD, '21')])] }, health: { deaths: bothParentsDied } },
    expect: [key(CHILD)],
  },
  {
    name: 'one parent alive: not an orphan',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [familyHousehold([father, mother, son()])] }, health: { deaths: [died(FATHER, '2025-03-25', 1)] } },
    expect: [],
    expectNot: [key(CHILD)],
    decidedBy: 'PARENTS_DECEASED',
  },
  {
    name: 'the only parent listed (the head) died',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [familyHousehold([father, son()])] }, health: { deaths: [died(FATHER, '2025-03-25', 1)] } },
    expect: [key(CHILD)],
  },
  {
    name: 'the second parent dies on 1 November, after d: not yet an orphan on d',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [familyHousehold([father, mother, son()])] },
      health: { deaths: [died(FATHER, '2025-12-12', 1), died(MOTHER, '2026-11-01', 2)] },
    },
    expect: [],
    expectNot: [key(CHILD)],
    decidedBy: 'PARENTS_DECEASED',
  },
  {
    name: 'an orphan allowance (GE) active on d',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [familyHousehold([father, mother, son()])], grants: [orphanAllowance(CHILD, '2026-01-01', allowance)] },
      health: { deaths: bothParentsDied },
    },
    expect: [],
    expectNot: [key(CHILD)],
    decidedBy: 'NO_ORPHAN_ALLOWANCE',
  },
  {
    name: 'a de facto unsupported child allowance (SW) active on d',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: {
        households: [familyHousehold([father, mother, son()])],
        grants: [unsupportedChildAllowance(CHILD, '2026-01-01', { ...allowance, until: '2026-12-31' })],
      },
      health: { deaths: bothParentsDied },
    },
    expect: [],
    expectNot: [key(CHILD)],
    decidedBy: 'NO_ORPHAN_ALLOWANCE',
  },
  {
    name: 'the orphan allowance ended on 30 October, the day before d',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: {
        households: [familyHousehold([father, mother, son()])],
        grants: [orphanAllowance(CHILD, '2026-01-01', { ...allowance, until: '2026-10-30' })],
      },
      health: { deaths: bothParentsDied },
    },
    expect: [key(CHILD)],
  },
  {
    name: 'eighteen on d (born 2008-10-31): no longer under 18',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [familyHousehold([father, mother, son(idNo('37108320081031151'))])] },
      health: { deaths: bothParentsDied },
    },
    expect: [],
    expectNot: [key(idNo('37108320081031151'))],
    decidedBy: 'UNDER_18',
  },
  {
    name: 'seventeen on d (born 2008-11-01): still under 18',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [familyHousehold([father, mother, son(idNo('37108320081101151'))])] },
      health: { deaths: bothParentsDied },
    },
    expect: [key(idNo('37108320081101151'))],
  },
  {
    name: 'a grandchild (code 30) of a deceased head is not 子/女 of the head',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [familyHousehold([grandmother, son(CHILD, '30')], GRANDMOTHER)] },
      health: { deaths: [died(GRANDMOTHER, '2026-02-01', 3)] },
    },
    expect: [],
    expectNot: [key(CHILD)],
    decidedBy: 'CHILD_OF_HEAD',
  },
  {
    name: 'a household that lists no parent tells nothing about the parents',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [familyHousehold([son()], FATHER)] }, health: { deaths: [] } },
    expect: [],
    expectNot: [key(CHILD)],
    decidedBy: 'PARENTS_DECEASED',
  },
  {
    name: 'the child died too: a deceased person is never a gap',
    asOf: '2026-10-31',
    feeds: { civilAffairs: { households: [familyHousehold([father, mother, son()])] }, health: { deaths: [...bothParentsDied, died(CHILD, '2026-05-01', 3)] } },
    expect: [],
    expectNot: [key(CHILD)],
    decidedBy: 'ALIVE',
  },
  {
    name: 'a registered-poor household only (no civil-affairs record): both parents died',
    asOf: '2026-10-31',
    feeds: { poverty: povertyRelief, health: { deaths: bothParentsDied } },
    expect: [key(CHILD)],
  },
  {
    name: 'listed as a grandchild in a civil-affairs household: that household is theirs, not the poverty-relief one of their late parents',
    asOf: '2026-10-31',
    feeds: {
      civilAffairs: { households: [familyHousehold([grandmother, son(CHILD, '30')], GRANDMOTHER)] },
      poverty: povertyRelief,
      health: { deaths: bothParentsDied },
    },
    expect: [],
    expectNot: [key(CHILD)],
    decidedBy: 'CHILD_OF_HEAD',
  },
  {
    name: 'a registered-poor household only: the mother is alive',
    asOf: '2026-10-31',
    feeds: { poverty: povertyRelief, health: { deaths: [died(FATHER, '2025-12-12', 1)] } },
    expect: [],
    expectNot: [key(CHILD)],
    decidedBy: 'PARENTS_DECEASED',
  },
];
