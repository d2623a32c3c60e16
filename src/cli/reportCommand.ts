import type { HubConfig } from '../config/config';
import { connectHubDatabase } from '../db/connect';
import type { Logger } from '../logging/logger';
import { makeMonthlyReport, ReportExists, ReportMonthInvalid } from '../rules/reports/monthlyReport';
import { sourceSettings } from '../rules/reports/sources';

/** `weijiu report month YYYY-MM [--replace]`: freeze the month's figures (office.md "Monthly reports"). */
export async function reportCommand(
  config: HubConfig,
  log: Logger,
  args: string[],
  opts: { replace: boolean; departments: Record<string, { department: string }> },
): Promise<number> {
  const [what, month] = args;
  if (what !== 'month' || !month || args.length > 2) {
    process.stderr.write('weijiu report: the command is `weijiu report month YYYY-MM [--replace]`\n');
    return 2;
  }
  const hubDb = await connectHubDatabase(config, log);
  try {
    const made = await makeMonthlyReport(hubDb.db.pool, {
      month,
      city: config.city,
      madeBy: 'weijiu report month',
      sources: sourceSettings(config.connectors, opts.departments),
      replace: opts.replace,
    });
    process.stdout.write(`report ${made.month} ${made.replaced ? 'made again' : 'made'}: figures as of ${made.asOf}, ${made.regions} regions\n`);
    return 0;
  } catch (e) {
    if (e instanceof ReportExists || e instanceof ReportMonthInvalid) {
      process.stderr.write(`weijiu report: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await hubDb.close();
  }
}
