import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/database';
import { entityDiff } from '../db/database';

/** A migration's class name: Migration, the day, a sequence number after the newest, and the name. */
export function nextMigrationName(existing: readonly string[], name: string, day: string): string {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) throw new Error(`a migration's name is a word in PascalCase, e.g. VeteransAffairs (got "${name}")`);
  const newest = Math.max(0, ...existing.map((n) => Number(/^Migration\d{8}(\d{6})/.exec(n)?.[1] ?? 0)));
  return `Migration${day.replace(/-/g, '')}${String(newest + 1).padStart(6, '0')}${name}`;
}

/** The migration's source, in the style of the committed ones: one addSql per statement. */
export function migrationSource(className: string, diff: { up: string[]; down: string[] }): string {
  const sql = (statements: string[]) => statements.map((s) => `    this.addSql(${JSON.stringify(s)});`).join('\n');
  return `import { Migration } from '@mikro-orm/migrations';

/** Written by \`weijiu migration create\` from the entities' diff: say here why the tables change. */
export class ${className} extends Migration {
  override async up(): Promise<void> {
${sql(diff.up)}
  }

  override async down(): Promise<void> {
${sql(diff.down)}
  }
}
`;
}

/**
 * `weijiu migration create NAME`: the statements that make the migrated database what the
 * entities (the hub's and the connectors') declare, written as the next migration in `dir` and
 * appended to its index.ts. Nothing is written when there is no difference.
 */
export async function createMigration(db: Database, name: string, dir: string, day: string): Promise<{ file: string; statements: number } | null> {
  const diff = await entityDiff(db);
  if (!diff.up.length) return null;
  const indexFile = path.join(dir, 'index.ts');
  const index = fs.readFileSync(indexFile, 'utf8');
  const existing = [...index.matchAll(/name: '(Migration\w+)'/g)].map((m) => m[1]);
  const className = nextMigrationName(existing, name, day);
  const file = path.join(dir, `${className}.ts`);
  fs.writeFileSync(file, migrationSource(className, diff));
  const lastImport = index.lastIndexOf('\nimport ');
  const afterImports = lastImport < 0 ? 0 : index.indexOf('\n', lastImport + 1) + 1;
  const listed = `${index.slice(0, afterImports)}import { ${className} } from './${className}';\n${index.slice(afterImports)}`.replace(
    /\n\];\s*$/,
    `\n  { name: '${className}', class: ${className} },\n];\n`,
  );
  if (!listed.includes(`class: ${className} }`)) throw new Error(`${indexFile}: could not list ${className} (is \`export const migrations = [ … ];\` its last statement?)`);
  fs.writeFileSync(indexFile, listed);
  return { file, statements: diff.up.length };
}
