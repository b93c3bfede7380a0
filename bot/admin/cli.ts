// `npm run admin -- <command> …`: the management board's tool (docs/clubs.md). One clear line
// on bad input, exit code 1; the database is untouched on failure.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../prisma/generated/client.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { resolveKeys } from '../privacy/keys.ts';
import { AdminError, parseArgs } from './args.ts';
import { runAdmin, USAGE } from './commands.ts';

function prismaFor(url: string): PrismaClient {
  const schema = new URL(url).searchParams.get('schema') ?? undefined;
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }, schema ? { schema } : {}) });
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (!args.words.length || args.words[0] === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return args.words.length ? 0 : 1;
  }
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    process.stderr.write('admin: DATABASE_URL is not set (the admin tool works on the same database as the bot)\n');
    return 1;
  }
  const keys = resolveKeys(config, createLogger('warn'));
  const prisma = prismaFor(config.DATABASE_URL);
  try {
    const out = await runAdmin(args, { prisma, now: new Date(), addressKey: keys.addressKey });
    process.stdout.write(`${out}\n`);
    return 0;
  } catch (err) {
    if (err instanceof AdminError) {
      process.stderr.write(`admin: ${err.message}\n`);
      return 1;
    }
    // Never echo inputs or rows: only the error class and a short message.
    process.stderr.write(`admin: failed (${(err as Error).name}): ${(err as Error).message.split('\n')[0]}\n`);
    return 2;
  } finally {
    await prisma.$disconnect();
  }
}

process.exitCode = await main(process.argv.slice(2));
