import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../scalars';
import { CoverageType } from './Finding';

@ObjectType('ReasonCount', { description: 'quarantined records of a source for one reason' })
export class ReasonCountType {
  @Field() reason!: string;
  @Field(() => Int) count!: number;
}

@ObjectType('Source', { description: "数据研判 a department's feed, judged (api.md \"Sources\")." })
export class SourceType {
  @Field({ description: 'the connector (the feed) name' }) connector!: string;
  @Field(() => String, { nullable: true }) department!: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'the last sync that succeeded' }) lastSuccessAt!: Date | null;
  @Field(() => DateScalar, {
    nullable: true,
    description: "the newest business date the feed delivered (a record's updated_at, a file's snapshot day or term), not when the hub fetched it",
  })
  dataDate!: string | null;
  @Field(() => Int, { nullable: true, description: 'configured per connector; default twice the interval of its schedule' }) maxAgeDays!: number | null;
  @Field({ description: 'no successful sync, or the last one is older than maxAgeDays' }) stale!: boolean;
  @Field(() => Int, { description: 'records held (current, not deleted)' }) records!: number;
  @Field(() => Int) quarantined!: number;
  @Field(() => Float, { description: 'quarantined ÷ (records + quarantined); 0 when there is neither' }) quarantineShare!: number;
  @Field(() => [ReasonCountType]) quarantineByReason!: ReasonCountType[];
  @Field(() => Int, { description: 'people the feed names' }) persons!: number;
  @Field(() => Float, { nullable: true, description: 'the share of those people civil affairs also knows; null when it names nobody' }) matchRate!: number | null;
  @Field(() => Int, { description: 'people whose name or region this feed states differently from another feed' }) conflicts!: number;
}

@ObjectType('RuleStatusCount', { description: "a rule's findings in a report's month" })
export class RuleStatusCountType {
  @Field() rule!: string;
  @Field(() => Int, { description: 'opened in the month' }) opened!: number;
  @Field(() => Int, { description: 'cleared in the month' }) cleared!: number;
  @Field(() => Int, { description: 'decided (confirmed, dismissed, exception) in the month' }) decided!: number;
  @Field(() => Int, { description: "open at the month's end" }) openAtEnd!: number;
}

@ObjectType('ScreeningCount', { description: "a screening's verdicts and evaluations at a report's month end" })
export class ScreeningCountType {
  @Field() screeningId!: string;
  @Field() title!: string;
  @Field() programmeCode!: string;
  @Field(() => Int) year!: number;
  @Field() regionCode!: string;
  @Field(() => Int) rows!: number;
  @Field(() => Int) pass!: number;
  @Field(() => Int) review!: number;
  @Field(() => Int) leadingGroup!: number;
  @Field(() => Int) reject!: number;
  @Field(() => Int, { description: 'rows whose latest evaluation approves' }) approved!: number;
  @Field(() => Int) rejected!: number;
  @Field(() => Int) referred!: number;
}

@ObjectType('Report', { description: "月报 a month's figures, frozen as of its last day (office.md \"Monthly reports\"). TOWN: its region's part." })
export class ReportType {
  @Field({ description: 'YYYY-MM' }) month!: string;
  @Field(() => DateScalar, { description: "the month's last day" }) asOf!: string;
  @Field(() => DateTimeScalar) madeAt!: Date;
  // resolved when asked (ReportResolver.coverage)
  coverage?: CoverageType;
  @Field(() => [RuleStatusCountType]) findings!: RuleStatusCountType[];
  @Field(() => [ScreeningCountType]) screenings!: ScreeningCountType[];
  @Field(() => [SourceType]) sources!: SourceType[];
}
