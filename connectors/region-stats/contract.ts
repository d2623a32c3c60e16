import { z } from 'zod';

/**
 * 民政局 / 财政局 capacity and fund figures (feeds.md §8): `region_stats_{YYYY}.csv`, UTF-8 with a
 * BOM, the complete figures of one year for every region. County rows carry the reserve fund
 * (储备金), town rows the staff and the backup fund (备用金), village rows households and
 * coordinators; an empty cell is unknown, never 0.
 */
export const REGION_STATS_FILE = /^region_stats_(\d{4})\.csv$/;

export const regionStatsRow = z.object({
  区划代码: z.string(),
  年度: z.string(),
  常住人口: z.string(),
  户数: z.string(),
  民政专职人员数: z.string(),
  村级协理员数: z.string(),
  '临时救助储备金(元)': z.string(),
  '临时救助备用金(元)': z.string(),
});

export type RegionStatsRow = z.infer<typeof regionStatsRow>;
export const REGION_STATS_HEADERS = Object.keys(regionStatsRow.shape) as Array<keyof RegionStatsRow>;
