// Database clients. A connection string selects its PostgreSQL schema in one of two ways:
//   postgresql://…/db?options=-c%20search_path%3Dmy_schema   (libpq/node-postgres style)
//   postgresql://…/db?schema=my_schema                       (Prisma style)
// Every client made here honours either form: pg gets the search_path (so raw SQL and the
// migration runner see the schema) and Prisma gets `{ schema }` (its generated SQL qualifies
// table names, so search_path alone would not move it off "public").
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../prisma/generated/client.ts';

/** The schema a connection string selects: its search_path's first entry, else `schema=`, else "public". */
export function schemaOf(connectionString: string): string {
  const params = searchParams(connectionString);
  const fromOptions = searchPathOf(params.get('options'));
  if (fromOptions) return fromOptions;
  const fromParam = params.get('schema');
  return fromParam ? fromParam : 'public';
}

/**
 * The connection string node-postgres should use: a Prisma-style `schema=` becomes a
 * search_path in `options` (pg ignores `schema=`, and a URL's options override a config's).
 */
export function pgConnectionString(connectionString: string): string {
  const params = searchParams(connectionString);
  const schema = params.get('schema');
  if (!schema || searchPathOf(params.get('options'))) return connectionString;
  const url = new URL(connectionString);
  const options = [url.searchParams.get('options'), `-c search_path=${quoteForOptions(schema)}`];
  url.searchParams.set('options', options.filter(Boolean).join(' '));
  url.searchParams.delete('schema');
  // %20, not URLSearchParams' "+" (a literal "+" is %2B): libpq tools read "+" literally.
  url.search = url.searchParams.toString().replace(/\+/g, '%20');
  return url.toString();
}

const pools = new WeakMap<PrismaClient, pg.Pool>();
const opened = new WeakSet<PrismaClient>();

/** One pg.Pool per client: Prisma's adapter runs on it, and so does everything the bot does
 * (bot/db/*), so the process holds one set of connections.
 * The Prisma client itself opens on first use (about 35 MB of runtime and query compiler):
 * turns, jobs and channels run on the pool alone; the console and the admin commands open it
 * when they first need it. */
export function createPrisma(connectionString: string): PrismaClient {
  const pool = new pg.Pool({ connectionString: pgConnectionString(connectionString), max: 10 });
  // An idle connection that dies (database restart) must not crash the process.
  pool.on('error', () => undefined);
  let client: PrismaClient | null = null;
  const open = () => {
    if (!client) {
      client = new PrismaClient({ adapter: new PrismaPg(pool, { schema: schemaOf(connectionString), disposeExternalPool: true }) });
      opened.add(prisma);
    }
    return client;
  };
  const prisma = new Proxy({} as PrismaClient, {
    get(_, key) {
      // Never opened: nothing to disconnect but the pool.
      if (key === '$disconnect' && !client) return async () => (pool.ended ? undefined : pool.end());
      // Not a promise (`await prisma` must not open it).
      if (key === 'then') return undefined;
      const c = open();
      const value: unknown = Reflect.get(c, key, c);
      return typeof value === 'function' ? value.bind(c) : value;
    },
  });
  pools.set(prisma, pool);
  return prisma;
}

/** Has this client (made by createPrisma) been opened? For tests of what runs without it. */
export function prismaOpened(prisma: PrismaClient): boolean {
  return opened.has(prisma);
}

/** The pool under a client made by createPrisma. */
export function poolOf(prisma: PrismaClient): pg.Pool {
  const pool = pools.get(prisma);
  if (!pool) throw new Error('poolOf: this Prisma client was not made by createPrisma');
  return pool;
}

function searchParams(connectionString: string): URLSearchParams {
  const query = connectionString.indexOf('?');
  return new URLSearchParams(query < 0 ? '' : connectionString.slice(query + 1));
}

/** First real schema of `-c search_path=…` (or `--search_path=…`) inside a libpq options value. */
function searchPathOf(options: string | null): string | undefined {
  if (!options) return undefined;
  const match = /(?:^|\s)(?:-c\s*|--)search_path=((?:\\.|[^\s\\])+)/.exec(options);
  if (!match?.[1]) return undefined;
  const value = match[1].replace(/\\(.)/g, '$1');
  for (const entry of value.split(',')) {
    const name = unquoteIdentifier(entry.trim());
    if (name && name !== '$user') return name;
  }
  return undefined;
}

/** PostgreSQL identifier rules: "Quoted" keeps its case, bare names fold to lower case. */
function unquoteIdentifier(entry: string): string {
  if (entry.startsWith('"') && entry.endsWith('"') && entry.length >= 2) return entry.slice(1, -1).replace(/""/g, '"');
  return entry.toLowerCase();
}

function quoteForOptions(schema: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(schema)) return schema;
  // Inside libpq `options`, whitespace separates arguments and backslash escapes.
  return `"${schema.replace(/"/g, '""')}"`.replace(/([\s\\])/g, '\\$1');
}

/** One round trip to the database (readiness): throws when it cannot answer. */
export async function ping(prisma: PrismaClient): Promise<void> {
  // On the pool: readiness never opens the Prisma client.
  await poolOf(prisma).query('SELECT 1');
}
