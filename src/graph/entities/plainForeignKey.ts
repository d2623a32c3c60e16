/**
 * The rules of every foreign key the migrations made: PostgreSQL's own (no action on update or
 * delete). MikroORM's ManyToOne would otherwise declare `on update cascade`.
 */
export const plainForeignKey = { deleteRule: 'no action', updateRule: 'no action' } as const;
