/**
 * Person-level grants to members of the generated households: 临时救助 (LS, one-off, now and then
 * repeated within a year) and the monthly child allowances 孤儿 (GE) and 事实无人抚养儿童 (SW).
 */
import { addYears, ageOn, dayFromCivil, isoDate, localTimestamp, yearOf } from './calendar';
import { amount, HISTORY_START, type Household, type Person, type Run, timeOfDay } from './generationRun';
import { type Delivery, messUpPersonRecord, spoilPersonRecord } from './recordFaults';
import type { Random } from './random';
import type { ApprovalLevel, GrantProgramme, SimGrant } from './records';

/** Builtins bound once: under Jest's sandbox every global lookup such as `Math` is slow. */
const { max, min } = Math;

const GE_MONTHLY = '1800.00';
const SW_MONTHLY = '1600.00';

interface GrantDraft {
  programme: GrantProgramme;
  person: Person;
  amount: string;
  paidOn: number | null;
  start: number | null;
  end: number | null;
  level: ApprovalLevel;
  approvalRef: string | null;
}

/** How often the grants of a household occur: assisted households are far likelier to get 临时救助. */
export interface GrantRates {
  /** chance that a household got 临时救助 at all */
  temporary: number;
  /** chance that a grant goes to a member after their death (rule D3) */
  afterDeath: number;
  /** chance that a child gets both 孤儿 and 事实无人抚养 allowances at once (rule D2) */
  bothChildAllowances: number;
}

/** The last day a person could be paid while alive: the day before death, or the day before as-of. */
function lastPayable(run: Run, person: Person): number {
  return person.death === null ? run.asOf - 1 : min(run.asOf - 1, person.death - 1);
}

function grantDrafts(rng: Random, run: Run, household: Household, rates: GrantRates): GrantDraft[] {
  const drafts: GrantDraft[] = [];
  const adults = household.members.filter((m) => ageOn(m.birth, run.asOf - 30) >= 18);

  // 临时救助: one-off help after an emergency, mostly to the head.
  if (adults.length > 0 && rng.chance(rates.temporary)) {
    const person = rng.chance(0.7) ? household.members[0] : rng.pick(adults);
    const earliest = max(HISTORY_START, addYears(person.birth, 18));
    const latest = lastPayable(run, person);
    const lsAmount = (): { amount: string; level: ApprovalLevel } => {
      const yuan = rng.chance(0.85) ? rng.int(5, 60) * 100 : rng.int(50000, 600000) / 100;
      const level: ApprovalLevel = yuan >= 3000 ? (rng.chance(0.9) ? '区市' : '镇街') : rng.chance(0.85) ? '镇街' : '区市';
      return { amount: amount(yuan), level };
    };
    if (earliest <= latest) {
      const paidOn = rng.int(earliest, latest);
      drafts.push({ programme: 'LS', person, ...lsAmount(), paidOn, start: null, end: null, approvalRef: null });
      // A repeat grant in the same year; where the leading group approved it, its reference.
      if (rng.chance(0.15)) {
        const yearEnd = dayFromCivil(yearOf(paidOn), 12, 31);
        const last = min(yearEnd, latest);
        if (paidOn + 7 <= last) {
          const again = rng.int(paidOn + 7, last);
          const year = yearOf(again);
          const approvalRef = rng.chance(0.5) ? `威救领办〔${year}〕${run.next(`approval-${year}`)}号` : null;
          drafts.push({ programme: 'LS', person, ...lsAmount(), paidOn: again, start: null, end: null, approvalRef });
        }
      }
      if (rng.chance(0.1)) {
        drafts.push({ programme: 'LS', person, ...lsAmount(), paidOn: rng.int(earliest, latest), start: null, end: null, approvalRef: null });
      }
    }
    // Paid to someone already dead: the office did not know.
    if (person.death !== null && person.death + 1 <= run.asOf - 1 && rng.chance(rates.afterDeath)) {
      drafts.push({ programme: 'LS', person, ...lsAmount(), paidOn: rng.int(person.death + 1, run.asOf - 1), start: null, end: null, approvalRef: null });
    }
  }

  // Children brought up by grandparents: 孤儿基本生活费 or 事实无人抚养儿童补贴 until 18.
  if (household.template === 'grandparentsRaising') {
    for (const child of household.members.filter((m) => m.relation === '31' || m.relation === '32')) {
      const draw = rng.next();
      if (draw >= 0.7) continue;
      const until = addYears(child.birth, 18) - 1;
      const earliest = max(HISTORY_START, child.birth + 30);
      const latest = min(run.asOf - 10, until - 1);
      if (latest < earliest) continue;
      const programme: GrantProgramme = draw < 0.35 ? 'GE' : 'SW';
      const start = rng.int(earliest, latest);
      drafts.push({
        programme, person: child, amount: programme === 'GE' ? GE_MONTHLY : SW_MONTHLY, paidOn: null,
        start, end: until, level: '区市', approvalRef: null,
      });
      // Both allowances at once: recognised as an orphan while the other allowance still runs.
      if (rng.chance(rates.bothChildAllowances) && start + 1 <= latest) {
        const other: GrantProgramme = programme === 'GE' ? 'SW' : 'GE';
        drafts.push({
          programme: other, person: child, amount: other === 'GE' ? GE_MONTHLY : SW_MONTHLY, paidOn: null,
          start: rng.int(start + 1, latest), end: until, level: '区市', approvalRef: null,
        });
      }
    }
  }
  return drafts;
}

function grantRecord(rng: Random, run: Run, household: Household, draft: GrantDraft): SimGrant {
  const dated = (draft.paidOn ?? draft.start) as number;
  const year = yearOf(dated);
  const seq = run.next(`${draft.programme}-${year}`);
  const day = min(run.asOf, dated + rng.int(0, draft.programme === 'LS' ? 20 : 30));
  return {
    grant_id: `${draft.programme}-${year}-${`${seq}`.padStart(6, '0')}`,
    sfzh: draft.person.id,
    xm: draft.person.name,
    xmdm: draft.programme,
    je: draft.amount,
    ffrq: draft.paidOn === null ? null : isoDate(draft.paidOn),
    ksrq: draft.start === null ? null : isoDate(draft.start),
    zzrq: draft.end === null ? null : isoDate(draft.end),
    qhdm: household.village.code,
    spjb: draft.level,
    ldxz_pzwh: draft.approvalRef,
    updated_at: localTimestamp(day, timeOfDay(rng)),
    deleted: false,
  };
}

/**
 * The grants of one household's members, as delivered (messy or spoiled at the delivery's rates).
 * `allowances` collects the children paid 孤儿 or 事实无人抚养 allowances.
 */
export function grantsOf(rng: Random, run: Run, household: Household, delivery: Delivery, rates: GrantRates, allowances?: Set<Person>): SimGrant[] {
  return grantDrafts(rng, run, household, rates).map((draft) => {
    if (draft.programme !== 'LS') allowances?.add(draft.person);
    const record = grantRecord(rng, run, household, draft);
    if (delivery.faults.chance(delivery.invalidRate)) {
      const dateName = record.ffrq !== null ? 'ffrq' : 'ksrq';
      delivery.invalid.push(
        spoilPersonRecord(delivery.faults, run, household, 'grants', record.grant_id, record,
          { name: 'je', get: () => record.je, set: (value) => (record.je = value) },
          { name: dateName, get: () => record[dateName] as string, set: (value) => (record[dateName] = value) }),
      );
    } else if (delivery.mess.chance(delivery.messyRate)) {
      messUpPersonRecord(delivery.mess, record);
    }
    return record;
  });
}
