/**
 * Special-group registrations (留守老人, 留守妇女, 留守儿童, 困境儿童, 流浪乞讨人员) of members of
 * the generated households, cancelled when a child outgrows the group.
 */
import { addYears, ageOn, isoDate, localTimestamp } from './calendar';
import { dayAfter, HISTORY_START, type Household, type Person, type Run, timeOfDay } from './generationRun';
import { type Delivery, messUpPersonRecord, spoilPersonRecord } from './recordFaults';
import type { Random } from './random';
import type { RegisterKind, SimRegistration } from './records';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { max, min } = Math;

interface RegistrationDraft {
  kind: RegisterKind;
  person: Person;
  registeredOn: number;
  cancelledOn: number | null;
}

/** How often each special group is registered: far more often in assisted households. */
export interface RegistrationRates {
  leftBehindElder: number;
  leftBehindWoman: number;
  leftBehindChild: number;
  childInDifficulty: number;
  vagrant: number;
}

function registrationDrafts(rng: Random, run: Run, household: Household, rates: RegistrationRates): RegistrationDraft[] {
  const drafts: RegistrationDraft[] = [];
  const { members, template } = household;
  const asOf = run.asOf;
  const ages = members.map((m) => ageOn(m.birth, asOf));
  const noWorkingAge = ages.every((age) => age < 18 || age >= 60);
  const someoneDisabled = members.some((m) => m.selfCare !== '全自理');
  const register = (kind: RegisterKind, person: Person, from: number, until: number, endsOn: number | null): void => {
    const earliest = max(HISTORY_START, from);
    const latest = min(asOf - 5, until, person.death === null ? Infinity : person.death - 1);
    if (latest < earliest) return;
    const registeredOn = rng.int(earliest, latest);
    // A registration ends when the person outgrows the group, or weeks after their death.
    const deathNoted = person.death === null ? null : person.death + rng.int(10, 60);
    const end = deathNoted !== null && (endsOn === null || deathNoted < endsOn) ? deathNoted : endsOn;
    let cancelledOn = end !== null && end > registeredOn && end <= asOf - 1 ? end : null;
    if (cancelledOn === null && rng.chance(0.05) && registeredOn + 30 <= asOf - 1) cancelledOn = rng.int(registeredOn + 30, asOf - 1);
    drafts.push({ kind, person, registeredOn, cancelledOn });
  };

  members.forEach((person, i) => {
    const age = ages[i];
    if (age >= 65 && noWorkingAge && rng.chance(rates.leftBehindElder)) register('LSLR', person, addYears(person.birth, 60), Infinity, null);
    if (template === 'singleParent' && i === 0 && person.sex === 'F' && age >= 20 && age <= 55 && rng.chance(rates.leftBehindWoman)) {
      register('LSFN', person, addYears(person.birth, 20), Infinity, null);
    }
    const child = person.relation !== '01' && person.relation !== '02' && !person.relation.startsWith('5');
    if (child && (template === 'singleParent' || template === 'grandparentsRaising') && rng.chance(rates.leftBehindChild)) {
      const sixteen = addYears(person.birth, 16);
      register('LSET', person, person.birth + 30, sixteen - 1, sixteen);
    }
    if (child && (template === 'grandparentsRaising' || someoneDisabled) && rng.chance(rates.childInDifficulty)) {
      const eighteen = addYears(person.birth, 18);
      register('KJET', person, person.birth + 30, eighteen - 1, eighteen);
    }
    if (template === 'singleAdult' && i === 0 && rng.chance(rates.vagrant)) {
      const from = max(HISTORY_START, addYears(person.birth, 18));
      const until = min(asOf - 5, person.death === null ? Infinity : person.death - 1);
      if (from <= until) {
        const registeredOn = rng.int(from, until);
        const ended = registeredOn + rng.int(1, 20);
        drafts.push({ kind: 'LLQT', person, registeredOn, cancelledOn: rng.chance(0.6) && ended <= asOf - 1 ? ended : null });
      }
    }
  });
  return drafts;
}

/**
 * The registrations of one household's members, as delivered: a first version, and a later one
 * when the registration was cancelled (a spoiled registration only as its newest version).
 */
export function registrationsOf(rng: Random, run: Run, household: Household, delivery: Delivery, rates: RegistrationRates): SimRegistration[] {
  const { village } = household;
  const registrations: SimRegistration[] = [];
  for (const draft of registrationDrafts(rng, run, household, rates)) {
    const regId = `${draft.kind}-${village.countyCode}-${`${run.next(`${draft.kind}-${village.countyCode}`)}`.padStart(5, '0')}`;
    const firstDay = min(run.asOf, draft.registeredOn + rng.int(0, 30));
    const first: SimRegistration = {
      reg_id: regId, sfzh: draft.person.id, xm: draft.person.name, lb: draft.kind, djrq: isoDate(draft.registeredOn),
      zxrq: null, qhdm: village.code, updated_at: localTimestamp(firstDay, timeOfDay(rng)),
    };
    const spoil = delivery.faults.chance(delivery.invalidRate);
    const records = [first];
    if (draft.cancelledOn !== null) {
      const day = dayAfter(rng, run, max(draft.cancelledOn, firstDay + 1), 20);
      if (day !== null) {
        const cancelled = { ...first, zxrq: isoDate(draft.cancelledOn), updated_at: localTimestamp(day, timeOfDay(rng)) };
        if (spoil) records.pop();
        records.push(cancelled);
      }
    }
    for (const record of records) {
      if (spoil) {
        delivery.invalid.push(
          spoilPersonRecord(delivery.faults, run, household, 'registries', record.reg_id, record, null,
            { name: 'djrq', get: () => record.djrq, set: (value) => (record.djrq = value) }),
        );
      } else if (delivery.mess.chance(delivery.messyRate)) {
        messUpPersonRecord(delivery.mess, record);
      }
      registrations.push(record);
    }
  }
  return registrations;
}
