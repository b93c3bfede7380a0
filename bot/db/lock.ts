// Named locks across instances: a transaction-scoped PostgreSQL advisory lock, so that of several
// instances starting at once one does a one-time job (loading the sample clubs or services)
// while the others wait, then find it done.
import type { Prisma } from '../../prisma/generated/client.ts';

/** Held until `tx` ends; `name` is namespaced so no other application's lock can collide. */
export async function lockForTransaction(tx: Prisma.TransactionClient, name: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`dong-hanh:${name}`}))`;
}
