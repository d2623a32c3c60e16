import fs from 'node:fs';
import path from 'node:path';
import { printHubSchema } from '../../src/api/schema';

describe('the published schema', () => {
  it('is the schema the code builds (run `./bin/weijiu schema` and commit when this fails)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8');
    expect(await printHubSchema()).toBe(committed);
  });

  it('has the names api.md promises to department apps', async () => {
    const sdl = await printHubSchema();
    for (const name of ['person(idNumber: String!): Person', 'households(', 'persons(', 'regions(parentCode: String)', 'programmes: [Programme!]!', 'connectors: [Connector!]!', 'quarantine(']) {
      expect(sdl).toContain(name);
    }
    expect(sdl).toMatch(/scalar Date\b/);
    expect(sdl).toMatch(/scalar Decimal\b/);
    expect(sdl).toMatch(/scalar DateTime\b/);
  });
});
