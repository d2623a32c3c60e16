import { ruleCatalogue } from '../../src/rules/catalogue';

/**
 * The catalogue as the office reads it (`rules { conditions { name text } }`): every rule is its
 * named conditions, each with a stable name, a sentence in Chinese and the facts it uses, and a
 * rule's parameters are exactly those its conditions read.
 */
describe('every rule written as named conditions', () => {
  it.each(ruleCatalogue.map((r) => [`${r.code} (${r.subjectType})`, r] as const))('%s', (_, rule) => {
    const names = rule.conditions.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of rule.conditions) {
      expect(c.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(c.text).toMatch(/[\u4e00-\u9fff]/);
      expect(c.facts.length).toBeGreaterThan(0);
    }
    expect(rule.conditions.some((c) => typeof c.sql === 'string')).toBe(true);
    const read = [...new Set(rule.conditions.flatMap((c) => c.parameters ?? []))].sort();
    expect({ rule: rule.code, parameters: read }).toEqual({ rule: rule.code, parameters: [...rule.parameters].sort() });
  });
});
