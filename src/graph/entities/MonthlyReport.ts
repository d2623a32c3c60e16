import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A monthly report (office.md "Monthly reports"): the month's figures frozen as of its last day,
 * for the leading group's meeting. Never changed once made: a trigger refuses updates
 * (Migration…15Reports); `weijiu report month --replace` deletes and makes it again. Findings and
 * screenings are kept per region code (the leaf a finding or list belongs to), so a TOWN reader
 * gets its region's part by summing under its prefix.
 */
@Entity({ tableName: 'monthly_report' })
export class MonthlyReport {
  /** YYYY-MM */
  @PrimaryKey({ type: 'string', columnType: 'char(7)' }) month!: string;
  /** the month's last day: what every figure is as of */
  @Property({ type: 'date', columnType: 'date' }) asOf!: string;
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' }) madeAt!: Date;
  @Property({ type: 'text', columnType: 'text' }) madeBy!: string;
  /** [{ regionCode, rule, opened, cleared, decided, openAtEnd }] */
  @Property({ type: 'json', columnType: 'jsonb' }) findings!: unknown;
  /** [{ screeningId, title, programmeCode, year, regionCode, rows, pass, review, leadingGroup, reject, approved, rejected, referred }] */
  @Property({ type: 'json', columnType: 'jsonb' }) screenings!: unknown;
  /** each connector's Source as of making (api.md "Sources") */
  @Property({ type: 'json', columnType: 'jsonb' }) sources!: unknown;
}
