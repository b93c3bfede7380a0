// console_audit: who (an alias) did what in the console, when, and on which object's id. Never a
// name, number or text.
import type { Prisma, PrismaClient } from '../../../prisma/generated/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export interface Actor {
  kind: 'club' | 'officer';
  alias: string;
  clubId: string | null;
}

export async function audit(db: Db, who: Actor, action: string, target: string | null, now: Date): Promise<void> {
  await db.consoleAudit.create({ data: { at: now, actor: who.alias, actorKind: who.kind, clubId: who.clubId, action, target } });
}

/** The club's latest 200 rows, newest first. */
export function auditOf(db: Db, clubId: string) {
  return db.consoleAudit.findMany({ where: { clubId }, orderBy: { id: 'desc' }, take: 200 });
}
