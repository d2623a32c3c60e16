import { MetadataStorage, ReferenceKind, type EntityClass } from '@mikro-orm/core';

type AnyEntity = EntityClass<object>;

function metaOf(cls: AnyEntity) {
  return MetadataStorage.getMetadataFromDecorator(cls);
}

/** The table an entity is declared with. */
export function tableOf(cls: AnyEntity): string {
  const table = metaOf(cls).tableName;
  if (!table) throw new Error(`${cls.name} declares no table`);
  return table;
}

/** The entity classes an entity's references point at (a reference may name its entity by class or by name). */
function referencedBy(cls: AnyEntity, all: readonly AnyEntity[]): AnyEntity[] {
  const out: AnyEntity[] = [];
  for (const prop of Object.values(metaOf(cls).properties)) {
    if (prop.kind !== ReferenceKind.MANY_TO_ONE && prop.kind !== ReferenceKind.ONE_TO_ONE) continue;
    const named = prop.entity as unknown;
    const target = typeof named === 'function' && !all.includes(named as AnyEntity) ? (named as () => unknown)() : named;
    const found = typeof target === 'string' ? all.find((c) => c.name === target) : (target as AnyEntity);
    if (found) out.push(found);
  }
  return out;
}

/**
 * The tables of the given entities and of every entity that references one of them, directly or
 * through others (`all` is every entity of the hub), in the order found.
 */
export function tablesReferencing(roots: readonly AnyEntity[], all: readonly AnyEntity[]): string[] {
  const found = new Set<AnyEntity>(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const cls of all) {
      if (found.has(cls) || metaOf(cls).abstract) continue;
      if (referencedBy(cls, all).some((target) => found.has(target))) {
        found.add(cls);
        grew = true;
      }
    }
  }
  return [...found].map(tableOf);
}
