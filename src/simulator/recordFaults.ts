/**
 * Mess and faults applied to delivered records: messy forms at the messy rate (still valid),
 * and at the invalid rate exactly one fault per record, reported with its quarantine reason.
 */
import { coarserRegionCode, messyAmount, messyIdNumber, relationWord } from './deliveryMess';
import type { Household, Run } from './generationRun';
import { idWithImpossibleBirthDate, idWithWrongCheckCharacter, impossibleDate, negativeAmount, unknownVillageCode } from './invalidForms';
import type { Random } from './random';
import type { ExpectedInvalid, QuarantineReason, SimHousehold } from './records';

/** How one household's records are delivered: separate random streams, so the mess never moves the population. */
export interface Delivery {
  mess: Random;
  faults: Random;
  messyRate: number;
  invalidRate: number;
  /** the faults made so far */
  invalid: ExpectedInvalid[];
}

export function messUpHousehold(rng: Random, record: SimHousehold): void {
  const times = rng.chance(0.25) ? 2 : 1;
  for (let t = 0; t < times; t++) {
    const kind = rng.weighted([['id', 5], ['relation', 3], ['region', 2]] as const);
    if (kind === 'id') {
      const index = rng.int(0, record.members.length - 1);
      const member = record.members[index];
      if (member.sfzh.length !== 18 || !/^\d{17}[\dX]$/.test(member.sfzh)) continue;
      const messy = messyIdNumber(rng, member.sfzh);
      if (index === 0 && rng.chance(0.3)) record.hzsfzh = messy;
      member.sfzh = messy;
    } else if (kind === 'relation') {
      const member = rng.pick(record.members);
      if (/^\d\d$/.test(member.yhzgx)) member.yhzgx = relationWord(member.yhzgx);
    } else if (record.qhdm.length === 12) {
      record.qhdm = coarserRegionCode(rng, record.qhdm);
    }
  }
}

/** Makes a record invalid in one way; returns the reason and the field, or null if no way applies. */
export function spoilHousehold(rng: Random, run: Run, household: Household, record: SimHousehold): ExpectedInvalid | null {
  const supported = new Set(record.enrollments.flatMap((e) => e.tkcy ?? []));
  const spoilableMembers = record.members.map((_, i) => i).filter((i) => !supported.has(record.members[i].sfzh));
  const paid = record.enrollments.map((_, i) => i).filter((i) => record.enrollments[i].bzje !== null);
  const reasons: QuarantineReason[] = ['UNKNOWN_REGION_CODE', 'IMPOSSIBLE_DATE'];
  if (spoilableMembers.length > 0) reasons.push('BAD_ID_CHECK_DIGIT', 'BAD_ID_BIRTH_DATE');
  if (paid.length > 0) reasons.push('NEGATIVE_AMOUNT');
  const reason = rng.pick(reasons);
  const found = (field: string, value: string): ExpectedInvalid => ({ feed: 'civil-affairs', where: 'households', key: record.hh_id, reason, field, value });
  switch (reason) {
    case 'BAD_ID_CHECK_DIGIT':
    case 'BAD_ID_BIRTH_DATE': {
      const index = rng.pick(spoilableMembers);
      const clean = record.members[index].sfzh;
      const bad = reason === 'BAD_ID_CHECK_DIGIT' ? idWithWrongCheckCharacter(rng, clean) : idWithImpossibleBirthDate(rng, clean);
      record.members[index].sfzh = bad;
      // A mistyped head's ID is mistyped wherever the head appears.
      if (index === 0) {
        record.hzsfzh = bad;
        return found('hzsfzh', bad);
      }
      return found(`members[${index}].sfzh`, bad);
    }
    case 'NEGATIVE_AMOUNT': {
      const index = rng.pick(paid);
      const enrollment = record.enrollments[index];
      enrollment.bzje = negativeAmount(enrollment.bzje as string);
      return found(`enrollments[${index}].bzje`, enrollment.bzje);
    }
    case 'UNKNOWN_REGION_CODE':
      record.qhdm = unknownVillageCode(rng, household.village.townCode, run.knownVillageCodes);
      return found('qhdm', record.qhdm);
    case 'IMPOSSIBLE_DATE': {
      const index = rng.int(0, record.enrollments.length - 1);
      const enrollment = record.enrollments[index];
      enrollment.ksrq = impossibleDate(rng, Number(enrollment.ksrq.slice(0, 4)));
      return found(`enrollments[${index}].ksrq`, enrollment.ksrq);
    }
    default:
      return null;
  }
}

export function messUpPersonRecord(rng: Random, record: { sfzh: string; qhdm: string; je?: string }): void {
  const kinds: [string, number][] = [['id', 4], ['region', 2]];
  if (record.je !== undefined) kinds.push(['amount', 3]);
  const kind = rng.weighted(kinds);
  if (kind === 'id') record.sfzh = messyIdNumber(rng, record.sfzh);
  else if (kind === 'region') record.qhdm = coarserRegionCode(rng, record.qhdm);
  else record.je = messyAmount(rng, record.je as string);
}

export function spoilPersonRecord(
  rng: Random,
  run: Run,
  household: Household,
  where: 'grants' | 'registries',
  key: string,
  record: { sfzh: string; qhdm: string },
  amountField: { name: string; get(): string; set(value: string): void } | null,
  dateField: { name: string; get(): string; set(value: string): void },
): ExpectedInvalid {
  const reasons: QuarantineReason[] = ['BAD_ID_CHECK_DIGIT', 'BAD_ID_BIRTH_DATE', 'UNKNOWN_REGION_CODE', 'IMPOSSIBLE_DATE'];
  if (amountField) reasons.push('NEGATIVE_AMOUNT');
  const reason = rng.pick(reasons);
  const found = (field: string, value: string): ExpectedInvalid => ({ feed: 'civil-affairs', where, key, reason, field, value });
  switch (reason) {
    case 'BAD_ID_CHECK_DIGIT':
      record.sfzh = idWithWrongCheckCharacter(rng, record.sfzh);
      return found('sfzh', record.sfzh);
    case 'BAD_ID_BIRTH_DATE':
      record.sfzh = idWithImpossibleBirthDate(rng, record.sfzh);
      return found('sfzh', record.sfzh);
    case 'UNKNOWN_REGION_CODE':
      record.qhdm = unknownVillageCode(rng, household.village.townCode, run.knownVillageCodes);
      return found('qhdm', record.qhdm);
    case 'NEGATIVE_AMOUNT': {
      const field = amountField as NonNullable<typeof amountField>;
      field.set(negativeAmount(field.get()));
      return found(field.name, field.get());
    }
    default:
      dateField.set(impossibleDate(rng, Number(dateField.get().slice(0, 4))));
      return found(dateField.name, dateField.get());
  }
}
