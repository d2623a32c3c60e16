/**
 * The names of the delivery files, as the departments name them (feeds.md): the hub finds a
 * file's term, snapshot date or year in its name.
 */
import { isoDate } from './calendar';

/** `xszz_2026-2027_1.csv` for the term `2026-2027_1` */
export function educationFileName(term: string): string {
  return `xszz_${term}.csv`;
}

/** `zfbz_20261031.xlsx`, the housing snapshot of a day */
export function housingFileName(day: number): string {
  return `zfbz_${isoDate(day).replace(/-/g, '')}.xlsx`;
}

/** `fpdx_20261031.csv`, the poverty-relief snapshot of a day */
export function povertyFileName(day: number): string {
  return `fpdx_${isoDate(day).replace(/-/g, '')}.csv`;
}

/** `region_stats_2026.csv` */
export function regionStatsFileName(year: number): string {
  return `region_stats_${year}.csv`;
}
