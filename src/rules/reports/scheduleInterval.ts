/**
 * The longest interval between two runs of a cron schedule (five fields: minute hour day month
 * weekday; `*`, `a-b`, `a,b`, `* /n` steps), found by walking the minutes of a year. A source is
 * stale after twice this by default (api.md "Sources"); null for what cannot be read.
 */
export function longestIntervalDays(expression: string): number | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length === 6) parts.shift(); // a seconds field
  if (parts.length !== 5) return null;
  const ranges: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
  const sets = parts.map((p, i) => valuesOf(p, ranges[i]!));
  if (sets.some((s) => s === null || s.size === 0)) return null;
  const [minutes, hours, days, months, weekdays] = sets as Set<number>[];
  if (weekdays.has(7)) weekdays.add(0);
  const domAny = parts[2] === '*';
  const dowAny = parts[4] === '*';
  // a leap year's 366 days from a Monday in UTC: the schedule's own timezone shifts runs, not the gaps
  const start = Date.UTC(2024, 0, 1);
  let previous: number | null = null;
  let first: number | null = null;
  let longest = 0;
  for (let t = start; t < start + 366 * 86_400_000; t += 60_000) {
    const d = new Date(t);
    if (!minutes.has(d.getUTCMinutes()) || !hours.has(d.getUTCHours()) || !months.has(d.getUTCMonth() + 1)) continue;
    const dom = days.has(d.getUTCDate());
    const dow = weekdays.has(d.getUTCDay());
    // cron: with both day fields restricted, either one matching is enough
    if (!(domAny && dowAny ? true : domAny ? dow : dowAny ? dom : dom || dow)) continue;
    if (previous !== null) longest = Math.max(longest, t - previous);
    first ??= t;
    previous = t;
  }
  if (first === null) return null;
  // across the year's end, back to the first run
  longest = Math.max(longest, first + 366 * 86_400_000 - previous!);
  return longest / 86_400_000;
}

function valuesOf(field: string, [low, high]: [number, number]): Set<number> | null {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return null;
    const from = m[1] === '*' ? low : Number(m[2]);
    const to = m[1] === '*' ? high : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? high : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < low || to > high || step < 1) return null;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}
