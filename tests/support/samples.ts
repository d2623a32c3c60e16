import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** The sample feeds and their expected results, copied from the contracts into tests/fixtures. */
export const samplesDir = path.join(__dirname, '..', 'fixtures', 'samples');

export function readJsonl(relative: string): any[] {
  return fs
    .readFileSync(path.join(samplesDir, relative), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

export function truthModel(): any {
  return JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(samplesDir, 'truth', 'model.json.gz'))).toString('utf8'));
}

export function truthQuarantine(feed: string): Array<{ key: string; reason: string; where: string }> {
  return JSON.parse(fs.readFileSync(path.join(samplesDir, 'truth', 'quarantine.json'), 'utf8')).feeds[feed] ?? [];
}
