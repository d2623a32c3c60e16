import type { HubConfig } from '../config/config';
import { connectHubDatabase } from '../db/connect';
import { parseBusinessDate, todayInShanghai } from '../identity';
import type { Logger } from '../logging/logger';
import { ruleCatalogue } from '../rules/catalogue';
import { runRules, type ParameterWarning, type RuleOutcome } from '../rules/engine/runRules';

/**
 * `weijiu rules run [--as-of D]`: every rule as of D, a line per rule, a total. A parameter row
 * that does not conform to its definition is skipped, not fatal: a warning line names it.
 */
export async function rulesCommand(config: HubConfig, log: Logger, asOfArg: string | undefined): Promise<number> {
  const parsed = asOfArg === undefined ? { ok: true as const, date: todayInShanghai() } : parseBusinessDate(asOfArg);
  if (!parsed.ok || !parsed.date) {
    process.stderr.write(`weijiu rules run: --as-of must be a date YYYY-MM-DD (got "${asOfArg}")\n`);
    return 2;
  }
  const asOf = parsed.date;
  const hubDb = await connectHubDatabase(config, log);
  const out = process.stdout;
  try {
    const line = (o: RuleOutcome) =>
      `${o.rule.padEnd(3)} opened ${String(o.opened).padStart(5)}  still open ${String(o.stillOpen).padStart(5)}  cleared ${String(o.cleared).padStart(5)}  resolved ${String(o.resolved).padStart(4)}  ${o.seconds.toFixed(2)} s`;
    const warning = (w: ParameterWarning) =>
      `    warning: ${w.rule} skipped parameter ${w.parameter} ${w.regionCode} from ${w.validFrom}: value "${w.value}" ${w.fault}`;
    const run = await runRules(hubDb.db.pool, ruleCatalogue, {
      asOf,
      city: config.city,
      onRule: (o) => out.write(`${out.isTTY ? '\r\x1b[K' : ''}${line(o)}\n${o.warnings.map((w) => `${warning(w)}\n`).join('')}`),
    });
    const total = run.outcomes.reduce(
      (a, o) => ({ opened: a.opened + o.opened, stillOpen: a.stillOpen + o.stillOpen, cleared: a.cleared + o.cleared, resolved: a.resolved + o.resolved }),
      { opened: 0, stillOpen: 0, cleared: 0, resolved: 0 },
    );
    out.write(`rules as of ${asOf}: ${total.opened} opened, ${total.stillOpen} still open, ${total.cleared} cleared, ${total.resolved} decided ones resolved in ${run.seconds.toFixed(1)} s (run ${run.runId})\n`);
    const skipped = new Set(run.outcomes.flatMap((o) => o.warnings.map((w) => `${w.parameter}|${w.regionCode}|${w.validFrom}`)));
    if (skipped.size) out.write(`${skipped.size} parameter row(s) skipped: they do not conform to parameter_definition — add a conforming row with setParameter\n`);
    return 0;
  } finally {
    await hubDb.close();
  }
}
