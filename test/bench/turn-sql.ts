// The SQL limit of a turn: pgbench running the bot's own turn statements (bot/db/turn.ts, taken
// from the code, not copied) on a migrated test schema, 32 clients on 2 threads by default, as
// the bot sends them (bot/db/sql.ts): prepared, BEGIN with turn_begin and the write with COMMIT
// (a pipeline of pgbench's has one Sync, as a turn's batch has), then the delete of the outbox
// row once its replies are out. Then the same turn as a known person's (turn_known, one
// statement: bot/engine/turn.ts), the version it checks read by a subquery in the statement
// (the engine keeps it instead: a little more work here than in the bot).
// `npm run bench:sql`; BENCH_SECONDS, BENCH_CONCURRENCY; per-call function times when
// PostgreSQL tracks them (track_functions = 'all').
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Sql } from '../../bot/db/sql.ts';
import { beginTurn, knownTurn, type TurnWrites, writeTurn } from '../../bot/db/turn.ts';
import { testDatabase } from '../support/db.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CHATS = 1000;

/** The statement a function sends, its varying values as pgbench variables (prepared
 * parameters under -M prepared), the others as literals. */
async function statementOf(run: (sql: Sql) => Promise<unknown>, vars: Record<string, string>, answer: unknown[]): Promise<string> {
  let out = '';
  await run({
    rows: async <R>(_name: string, text: string, values: unknown[]) => {
      out = text.replace(/\$(\d+)/g, (_, n: string) => {
        const v = values[Number(n) - 1];
        return typeof v === 'string' && v in vars ? vars[v]! : literal(v);
      });
      return answer as R[];
    },
  });
  return out.replace(/\s+/g, ' ');
}

/** A literal for the values a turn's statements take (no backslashes in this bench's data). */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) return `'${v.toISOString()}'`;
  if (Array.isArray(v)) return `'{${v.join(',')}}'`;
  return `'${String(v).replace(/'/g, "''")}'`;
}

const offered = Array.from({ length: 7 }, (_, i) => ({ id: `menu.item${i}`, label: `Lựa chọn số ${i + 1}` }));
const begin = await statementOf((sql) => beginTurn(sql, 'telegram', 'EXT', 'SUBJECT'), { EXT: 'CAST(:ext AS text)', SUBJECT: 'CAST(:chat AS text)' }, [{ claimed: false }]);
const writes: TurnWrites = {
  subject: 'SUBJECT',
  channel: 'telegram',
  now: new Date(),
  state: { locale: 'vi', flow: 'menu', step: 'main', data: { offered, earlier: offered.map((o) => o.id) }, noStorage: false },
  record: { contactStatus: 'active', day: '2026-11-30', dayKey: 'k'.repeat(64), flow: 'menu', step: 'main', eventKind: 'choice', choiceId: 'menu.main', latencyMs: 3, outcome: 'ok' },
  outbox: { payloadEnc: 'p'.repeat(900), leaseSeconds: 10, settled: [] },
};
const write = await statementOf((sql) => writeTurn(sql, writes), { SUBJECT: 'CAST(:chat AS text)' }, []);
const checked = new Date(0);
const known = (
  await statementOf(
    (sql) => knownTurn(sql, 'EXT', { row: { subjectKey: 'SUBJECT', channel: 'telegram', locale: 'vi', flow: 'menu', step: 'main', data: {}, noStorage: false, updatedAt: checked }, version: 'VERSION' }, writes),
    { EXT: 'CAST(:ext AS text)', SUBJECT: 'CAST(:chat AS text)', VERSION: '(SELECT xmin::text FROM conversation WHERE subject_key = CAST(:chat AS text))' },
    [{ status: 'ok' }],
  )
).replace(literal(checked), '(SELECT updated_at FROM conversation WHERE subject_key = CAST(:chat AS text))');
const readScript = [
  `\\set chat random(1, ${CHATS})`,
  '\\set ext random(1, 999999999999)',
  '\\startpipeline',
  'BEGIN;',
  `${begin};`,
  '\\endpipeline',
  '\\startpipeline',
  `${write};`,
  'COMMIT;',
  '\\endpipeline',
  // The bot deletes by id; pgbench (15) cannot keep a result of a combined query, so by person.
  'DELETE FROM outbox WHERE subject_key = CAST(:chat AS text);',
  '',
].join('\n');
const knownScript = [`\\set chat random(1, ${CHATS})`, '\\set ext random(1, 999999999999)', `${known};`, 'DELETE FROM outbox WHERE subject_key = CAST(:chat AS text);', ''].join('\n');

const db = await testDatabase();
const dir = mkdtempSync(path.join(tmpdir(), 'turn-sql-'));
try {
  for (const [name, script] of [
    ['the turn that reads (turn_begin, turn_write)', readScript],
    ['the known turn (turn_known)', knownScript],
  ] as const) {
    const file = path.join(dir, 'turn.sql');
    writeFileSync(file, script);
    const threads = String(Math.min(2, CLIENTS));
    process.stdout.write(`# ${name}\n`);
    const r = spawnSync('pgbench', ['-n', '-M', 'prepared', '-c', String(CLIENTS), '-j', threads, '-T', String(SECONDS), '-r', '-f', file, db.url], { encoding: 'utf8' });
    process.stdout.write(r.stdout);
    if (r.status !== 0) process.stderr.write(r.stderr);
  }
  // With track_functions = 'all' (ALTER SYSTEM, then reload): µs per call of each turn function,
  // far steadier than turns/s on a shared machine (BENCH_CONCURRENCY=1 for no lock waits).
  const fns = await db.prisma.$queryRawUnsafe<{ name: string; calls: bigint; self_us: number; total_us: number }[]>(
    `SELECT funcname AS name, calls, round((self_time / calls * 1000)::numeric, 1)::float8 AS self_us, round((total_time / calls * 1000)::numeric, 1)::float8 AS total_us
     FROM pg_stat_user_functions WHERE schemaname = current_schema() AND calls > 0 ORDER BY funcname`,
  );
  for (const f of fns) process.stdout.write(`${f.name}: ${f.calls} calls, ${f.self_us} µs self, ${f.total_us} µs total a call\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await db.drop();
}
process.exit(0);
