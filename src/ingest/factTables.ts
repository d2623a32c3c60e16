import type { FactTableName } from './types';

/**
 * The business columns of each fact table (besides the shared fact columns), with their SQL
 * types: the merge compares exactly these to decide whether a fact changed.
 */
export interface FactTableSpec {
  columns: ReadonlyArray<readonly [name: string, sqlType: string]>;
  /** person_id is resolved from the row's person_id_number */
  person?: 'required' | 'optional';
  /** household_id is resolved from the row's household_head */
  household?: 'required' | 'optional';
}

export const factTables: Record<FactTableName, FactTableSpec> = {
  household_record: {
    household: 'required',
    columns: [['region_code', 'varchar'], ['registration_type', 'text'], ['address', 'text'], ['deleted', 'boolean']],
  },
  membership: {
    household: 'required',
    person: 'required',
    columns: [['relation_code', 'varchar'], ['self_care', 'text']],
  },
  benefit: {
    person: 'optional',
    household: 'optional',
    columns: [
      ['programme_code', 'text'], ['amount', 'numeric'], ['paid_on', 'date'], ['approval_level', 'text'],
      ['support_mode', 'text'], ['approval_ref', 'text'], ['region_code', 'varchar'], ['details', 'jsonb'],
    ],
  },
  registration: { person: 'required', columns: [['category', 'text'], ['region_code', 'varchar']] },
  disability_certificate: {
    person: 'required',
    columns: [['certificate_no', 'text'], ['category', 'smallint'], ['grade', 'smallint'], ['status', 'text'], ['region_code', 'varchar']],
  },
  schooling: {
    person: 'required',
    columns: [
      ['student_no', 'text'], ['school', 'text'], ['stage', 'text'], ['grade', 'text'], ['status', 'text'],
      ['term', 'text'], ['aid', 'text'], ['region_code', 'varchar'],
    ],
  },
  medical_settlement: {
    person: 'required',
    columns: [
      ['settled_on', 'date'], ['total_cost', 'numeric'], ['insurance_paid', 'numeric'], ['assistance_paid', 'numeric'],
      ['out_of_pocket', 'numeric'], ['diagnosis', 'text'], ['catastrophic', 'boolean'],
    ],
  },
  death_record: { person: 'required', columns: [['died_on', 'date'], ['region_code', 'varchar']] },
  dangerous_house: {
    person: 'required',
    columns: [['rating', 'text'], ['assessed_on', 'date'], ['renovation_status', 'text'], ['subsidy', 'numeric'], ['region_code', 'varchar']],
  },
  poverty_record: {
    person: 'required',
    household: 'optional',
    columns: [
      ['household_no', 'text'], ['relation_code', 'varchar'], ['identified_year', 'integer'], ['poverty_status', 'text'],
      ['monitoring_type', 'text'], ['main_risk', 'text'], ['income_per_capita', 'numeric'], ['region_code', 'varchar'], ['snapshot_date', 'date'],
    ],
  },
  economic_fact: {
    person: 'required',
    columns: [['source', 'text'], ['item', 'text'], ['value', 'numeric'], ['unit', 'text'], ['as_of', 'date']],
  },
  region_stat: {
    columns: [
      ['region_code', 'varchar'], ['year', 'integer'], ['residents', 'integer'], ['households', 'integer'], ['staff', 'integer'],
      ['coordinators', 'integer'], ['reserve_fund', 'numeric'], ['backup_fund', 'numeric'],
    ],
  },
};
