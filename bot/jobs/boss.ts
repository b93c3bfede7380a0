// pg-boss: the job queue behind scheduled work (the retention purge and club reminders). It keeps its
// tables in its own schema, so several instances share one queue and one schedule.
import { PgBoss } from 'pg-boss';
import type { PrismaClient } from '../../prisma/generated/client.ts';
import { poolOf } from '../db/client.ts';
import { pgSql } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import { type DispatchDeps, startReminders } from './reminders/dispatch.ts';
import { purgeExpired } from './retention.ts';

export interface JobsDeps {
  connectionString: string;
  /** pg-boss schema; tests give each database schema its own. */
  schema: string;
  prisma: PrismaClient;
  retentionDays: number;
  timeZone: string;
  log: Logger;
  /** Club reminders and nudges (bot/jobs/reminders): planned every minute, handed to the outbox when due. */
  reminders?: Omit<DispatchDeps, 'prisma' | 'log'>;
}

export interface Jobs {
  boss: PgBoss;
  stop(): Promise<void>;
}

export async function startJobs(deps: JobsDeps): Promise<Jobs> {
  const boss = new PgBoss({ connectionString: deps.connectionString, schema: deps.schema, max: 4 });
  // Name and code only: a database error's message can quote the values of a query.
  boss.on('error', (err: Error & { code?: string }) => deps.log.error({ err: { name: err.name, code: err.code } }, 'job queue error'));
  await boss.start();
  // The scheduled work runs on the pool: a bot that answers and reminds never opens Prisma.
  const sql = pgSql(poolOf(deps.prisma));
  await boss.createQueue('retention');
  await boss.schedule('retention', '17 * * * *', null, { tz: deps.timeZone });
  await boss.work('retention', async () => {
    const counts = await purgeExpired(sql, new Date(), deps.retentionDays);
    deps.log.info({ job: 'retention', ...counts }, 'purged expired data');
  });
  const reminders = deps.reminders ? await startReminders(boss, { ...deps.reminders, prisma: deps.prisma, timeZone: deps.timeZone, log: deps.log }) : null;
  return {
    boss,
    async stop() {
      reminders?.stop();
      await boss.stop({ graceful: true, timeout: 5000 });
    },
  };
}
