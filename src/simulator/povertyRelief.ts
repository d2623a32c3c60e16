/**
 * The rural revitalisation bureau's ledger of one household (乡村振兴局 建档立卡 and 防返贫监测,
 * feeds.md §5): for a few per cent of rural households — far more among the assisted — the
 * household's number, the year it was identified, whether it is out of poverty, whether it is
 * monitored and for which main risk, its income per person, and one row per living member.
 */
import { ageOn } from './calendar';
import { povertyFileName } from './dropNames';
import type { Family, PovertyStatus } from './family';
import { cell, messOne, spoilOne, type Slot } from './fieldFaults';
import type { Run } from './generationRun';
import { aliveOn } from './lifeEvents';
import type { Random } from './random';
import type { DropRow } from './records';

/** Decides whether a household is in the ledger, and its record. */
export function povertyStatusOf(rng: Random, run: Run, family: Family): PovertyStatus | null {
  const { village } = family;
  if (village.urban) return null;
  const assisted = family.enrollments.length > 0;
  if (!rng.chance(assisted ? 0.35 : 0.025)) return null;
  const members = family.members.filter((m) => aliveOn(m, run.asOf));
  // A household whose head has died is re-registered under a new head: not modelled, left out.
  if (members.length === 0 || members[0] !== family.members[0]) return null;

  const identifiedYear = rng.weighted([[2014, 30], [2015, 25], [2016, 15], [2017, 6], [2018, 5], [2019, 4], [0, 15]] as const) || rng.int(2020, run.asOfYear);
  let status: PovertyStatus['status'] = '已脱贫';
  let monitoring: PovertyStatus['monitoring'] = '';
  if (identifiedYear >= 2020) {
    monitoring = rng.chance(0.7) ? '边缘易致贫户' : '突发严重困难户';
    status = rng.chance(0.8) ? '未脱贫' : '已脱贫';
  } else if (rng.chance(0.08)) {
    monitoring = '脱贫不稳定户';
  }
  const disabled = members.some((m) => m.disability !== null);
  const sick = members.some((m) => m.chronic);
  const student = members.some((m) => ageOn(m.birth, run.asOf) >= 6 && ageOn(m.birth, run.asOf) <= 21);
  const risk: PovertyStatus['risk'] =
    disabled && rng.chance(0.6) ? '因残'
      : sick && rng.chance(0.6) ? '因病'
        : student && rng.chance(0.3) ? '因学'
          : rng.weighted([['缺劳力', 45], ['因灾', 8], ['因意外', 10], ['其他', 20], ['因病', 17]] as const);
  const monitored = monitoring !== '' || status === '未脱贫';
  const income = (monitored ? rng.int(700_000, 1_450_000) : rng.int(1_100_000, 4_200_000)) / 100;
  const householdNo = `${village.code}${`${run.next(`poverty-${village.code}`)}`.padStart(3, '0')}`;
  return { householdNo, identifiedYear, status, monitoring, risk, income, members };
}

export function povertyRowsOf(run: Run, family: Family): DropRow[] {
  const poverty = family.poverty;
  if (!poverty) return [];
  const head = poverty.members[0];
  const rows = poverty.members.map((m): DropRow => ({
    cells: [
      poverty.householdNo, head.id, m.id, m.name, m.relation, `${poverty.identifiedYear}`, poverty.status, poverty.monitoring,
      poverty.risk, poverty.income.toFixed(2), family.village.code,
    ],
  }));
  for (const row of rows) spoilOrMess(run, family, row);
  return rows;
}

function spoilOrMess(run: Run, family: Family, row: DropRow): void {
  const { delivery } = family;
  const c = row.cells;
  const slots: Slot[] = [cell(c, 1, 'id', '户主身份证号'), cell(c, 2, 'id', '成员身份证号'), cell(c, 9, 'amount', '家庭年人均纯收入'), cell(c, 10, 'region', '区划代码')];
  if (delivery.faults.chance(delivery.invalidRate)) {
    const fault = spoilOne(delivery.faults, slots, family.village.townCode, run.knownVillageCodes);
    if (fault) {
      const file = povertyFileName(run.asOf);
      row.fault = { feed: 'poverty-relief', where: file, key: `${c[0]}|${c[2]}`, ...fault, file };
      delivery.invalid.push(row.fault);
      return;
    }
  }
  if (delivery.mess.chance(delivery.messyRate)) messOne(delivery.mess, [...slots, cell(c, 4, 'relation', '与户主关系')], 'csv');
}
