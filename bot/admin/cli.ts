// `npm run admin -- <command> …`: the management board's tool (README "After-care clubs: the management board's tool"). One clear line
// on bad input, exit code 1; the database is untouched on failure.
import type { PrismaClient } from '../../prisma/generated/client.ts';
import { loadConfig } from '../config.ts';
import { adminDatabase } from './database.ts';
import { createPrisma } from '../db/client.ts';
import { createLogger } from '../logger.ts';
import { resolveKeys } from '../privacy/keys.ts';
import { AdminError, parseArgs } from './args.ts';
import { runAdmin, USAGE } from './commands.ts';

// The bot's own client: it honours both ways of naming a schema in the URL.
function prismaFor(url: string): PrismaClient {
  return createPrisma(url);
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const asked = args.words[0] === 'help' || args.options['help'] === 'true' || argv.includes('-h');
  if (!args.words.length || asked) {
    process.stdout.write(`${USAGE}\n`);
    return asked ? 0 : 1;
  }
  const config = loadConfig();
  // "--note -": the note comes from standard input, so it stays out of shell history and ps.
  if (args.options['note'] === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    args.options['note'] = Buffer.concat(chunks).toString('utf8').trim();
  }
  const keys = resolveKeys(config, createLogger('warn'));
  // Without DATABASE_URL: the bot's embedded database (the running one, or started for this command).
  const db = await adminDatabase(config);
  const prisma = prismaFor(db.url);
  const consoleBase = config.PUBLIC_URL?.replace(/\/$/, '') ?? `http://localhost:${config.PORT}`;
  try {
    const out = await runAdmin(args, { prisma, now: new Date(), addressKey: keys.addressKey, consoleBase });
    process.stdout.write(`${out}\n`);
    return 0;
  } catch (err) {
    if (err instanceof AdminError) {
      process.stderr.write(`admin: ${err.message}\n`);
      return 1;
    }
    // Never echo inputs or rows. Not the message: a database error's text can quote the values it was given.
    const code = (err as { code?: string }).code;
    process.stderr.write(`admin: failed (${(err as Error).name}${code ? ` ${code}` : ''}); nothing was changed\n`);
    return 2;
  } finally {
    await prisma.$disconnect();
    await db.stop();
  }
}

process.exitCode = await main(process.argv.slice(2));
