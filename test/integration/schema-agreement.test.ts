// schema.prisma and the SQL migrations must describe the same database: Prisma Client is generated
// from the first, the database is built from the second, and nothing else checks they agree
// (`prisma migrate diff` needs an engine download that this network does not allow).
// The migrations are applied to an empty schema; the result, read from pg_catalog, is compared
// with Prisma's own reading of schema.prisma (its DMMF), line by line so a failure shows the
// missing or extra column/index/key. Naming follows Prisma's conventions (<table>_pkey, _key, _idx).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../bot/db/migrate.ts';
import { createTestSchema, dropSchema } from '../support/db.ts';

const SCHEMA_FILE = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));

/** What is compared: sorted lines per aspect, identical shape for both sides. */
interface Shape {
  tables: string[];
  columns: string[];
  indexes: string[];
  foreignKeys: string[];
  enums: string[];
}

let schema: string;
let fromPrisma: Shape;
let fromDatabase: Shape;

beforeAll(async () => {
  fromPrisma = shapeOfDmmf(getDmmf(readFileSync(SCHEMA_FILE, 'utf8')));
  let url: string;
  ({ schema, url } = await createTestSchema('agree'));
  try {
    await migrate(url);
    fromDatabase = await shapeOfDatabase(url, schema);
  } finally {
    await dropSchema(schema);
  }
});

afterAll(async () => {
  if (schema) await dropSchema(schema);
});

describe('schema.prisma agrees with prisma/migrations', () => {
  it('has the same tables', () => expect(fromDatabase.tables).toEqual(fromPrisma.tables));
  it('has the same columns, types, nullability and defaults', () => expect(fromDatabase.columns).toEqual(fromPrisma.columns));
  it('has the same primary keys, unique keys and indexes', () => expect(fromDatabase.indexes).toEqual(fromPrisma.indexes));
  it('has the same foreign keys', () => expect(fromDatabase.foreignKeys).toEqual(fromPrisma.foreignKeys));
  it('has the same enums', () => expect(fromDatabase.enums).toEqual(fromPrisma.enums));
  it('compares something', () => expect(fromPrisma.columns.length).toBeGreaterThan(10));
});

// ---- Prisma's side -------------------------------------------------------------------------

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt?: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: 'asc' | 'desc' }[];
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; dbName?: string | null; values: { name: string; dbName?: string | null }[] }[];
    indexes: DmmfIndex[];
  };
}

/**
 * Prisma's schema parser, as the Prisma CLI runs it: the prisma-schema-wasm module shipped inside
 * the `prisma` package (@prisma/internals' getDMMF is bundled into the CLI, not installable alone).
 * The wasm-bindgen glue is four imports; their names carry a build hash, so match by prefix.
 */
function getDmmf(schemaText: string): Dmmf {
  const prismaDir = path.dirname(createRequire(import.meta.url).resolve('prisma/package.json'));
  const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmApi };
  const module = new WebAssembly.Module(readFileSync(path.join(prismaDir, 'build/prisma_schema_build_bg.wasm')));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // biome-ignore lint/suspicious/noExplicitAny: raw wasm exports
  let wasm: any;
  const text = (ptr: number, len: number) => decoder.decode(new Uint8Array(wasm.memory.buffer, ptr >>> 0, len));
  const imports: Record<string, (...args: number[]) => unknown> = {};
  for (const { name } of WebAssembly.Module.imports(module)) {
    if (name.startsWith('__wbg_Error_')) imports[name] = (p, n) => new Error(text(p!, n!));
    else if (name.startsWith('__wbg___wbindgen_throw_')) imports[name] = (p, n) => { throw new Error(text(p!, n!)); };
    else if (name.startsWith('__wbg_set_message_')) imports[name] = (p, n) => { throw new Error(`Prisma schema parser panicked: ${text(p!, n!)}`); };
    else if (name === '__wbindgen_init_externref_table')
      imports[name] = () => {
        const table = wasm.__wbindgen_externrefs;
        const base = table.grow(4);
        table.set(0, undefined);
        for (const [i, v] of [undefined, null, true, false].entries()) table.set(base + i, v);
      };
    else throw new Error(`prisma_schema_build_bg.wasm wants an unknown import ${name}: update getDmmf for this Prisma version`);
  }
  wasm = new WebAssembly.Instance(module, { __wbindgen_placeholder__: imports }).exports;
  wasm.__wbindgen_start();
  const input = new TextEncoder().encode(JSON.stringify({ prismaSchema: schemaText, noColor: true }));
  const ptr = wasm.__wbindgen_malloc(input.length, 1) >>> 0;
  new Uint8Array(wasm.memory.buffer, ptr, input.length).set(input);
  const [outPtr, outLen, errRef, failed] = wasm.get_dmmf(ptr, input.length) as number[];
  if (failed) throw new Error(`schema.prisma does not parse: ${String(wasm.__wbindgen_externrefs.get(errRef))}`);
  try {
    return JSON.parse(text(outPtr!, outLen!)) as Dmmf;
  } finally {
    wasm.__wbindgen_free(outPtr, outLen, 1);
  }
}

// TypeScript's ES libs do not declare WebAssembly; the little used here.
interface WasmApi {
  Module: { new (bytes: Uint8Array): object; imports(module: object): { name: string }[] };
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const NAME_SUFFIX: Record<string, string> = { id: 'pkey', unique: 'key', normal: 'idx' };

// Prisma's PostgreSQL type for each scalar, and for each @db.* native type; as format_type() prints them.
const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};
const withArgs = (name: string, args: string[]) => (args.length ? `${name}(${args.join(',')})` : name);
const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Text: () => 'text',
  VarChar: (a) => withArgs('character varying', a),
  Char: (a) => withArgs('character', a),
  Uuid: () => 'uuid',
  Integer: () => 'integer',
  SmallInt: () => 'smallint',
  BigInt: () => 'bigint',
  Real: () => 'real',
  DoublePrecision: () => 'double precision',
  Decimal: (a) => withArgs('numeric', a),
  Money: () => 'money',
  Boolean: () => 'boolean',
  Timestamp: (a) => `${withArgs('timestamp', a)} without time zone`,
  Timestamptz: (a) => `${withArgs('timestamp', a)} with time zone`,
  Time: (a) => `${withArgs('time', a)} without time zone`,
  Timetz: (a) => `${withArgs('time', a)} with time zone`,
  Date: () => 'date',
  Json: () => 'json',
  JsonB: () => 'jsonb',
  ByteA: () => 'bytea',
  Inet: () => 'inet',
  Citext: () => 'citext',
  Xml: () => 'xml',
};
// Evaluated by Prisma Client, so the column has no default in the database.
const CLIENT_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid']);

function shapeOfDmmf(dmmf: Dmmf): Shape {
  const { models, enums, indexes } = dmmf.datamodel;
  const byName = new Map(models.map((m) => [m.name, m]));
  const table = (m: DmmfModel) => m.dbName ?? m.name;
  const column = (m: DmmfModel, fieldName: string) => {
    const f = m.fields.find((x) => x.name === fieldName);
    if (!f) throw new Error(`${m.name}.${fieldName} not found`);
    return f.dbName ?? f.name;
  };
  const enumDbName = new Map(enums.map((e) => [e.name, e.dbName ?? e.name]));

  const columns = models.flatMap((m) =>
    m.fields
      .filter((f) => f.kind === 'scalar' || f.kind === 'enum')
      .map((f) => {
        let type: string;
        if (f.kind === 'enum') type = enumDbName.get(f.type) ?? f.type;
        else if (f.nativeType) {
          const native = NATIVE_TYPES[f.nativeType[0]];
          if (!native) throw new Error(`no mapping for @db.${f.nativeType[0]} yet (${m.name}.${f.name}): add it to NATIVE_TYPES`);
          type = native(f.nativeType[1]);
        } else type = SCALAR_TYPES[f.type] ?? `unknown scalar ${f.type}`;
        return columnLine(table(m), f.dbName ?? f.name, type + (f.isList ? '[]' : ''), f.isRequired, prismaDefault(f));
      }),
  );

  const indexLines = indexes
    .filter((i) => i.type !== 'fulltext')
    .map((i) => {
      const m = byName.get(i.model)!;
      const cols = i.fields.map((f) => column(m, f.name));
      const kind = i.type === 'id' ? 'PRIMARY KEY' : i.type === 'unique' ? 'UNIQUE' : 'INDEX';
      const name = i.dbName ?? defaultName(table(m), i.type === 'id' ? [] : cols, NAME_SUFFIX[i.type]!);
      const method = (i.algorithm ?? 'BTree').toLowerCase();
      const sorted = i.fields.map((f, k) => `${cols[k]}${f.sortOrder === 'desc' ? ' DESC' : ''}`);
      return indexLine(table(m), name, kind, method, sorted);
    });

  const foreignKeys = models.flatMap((m) =>
    m.fields
      .filter((f) => f.kind === 'object' && f.relationFromFields?.length)
      .map((f) => {
        const target = byName.get(f.type)!;
        const from = f.relationFromFields!;
        const optional = from.some((name) => !m.fields.find((x) => x.name === name)?.isRequired);
        // Prisma's referential action defaults: Restrict (SetNull when optional) on delete, Cascade on update.
        const onDelete = f.relationOnDelete ?? (optional ? 'SetNull' : 'Restrict');
        const onUpdate = f.relationOnUpdate ?? 'Cascade';
        return fkLine(
          table(m),
          from.map((x) => column(m, x)),
          table(target),
          f.relationToFields!.map((x) => column(target, x)),
          ACTIONS[onDelete] ?? onDelete,
          ACTIONS[onUpdate] ?? onUpdate,
        );
      }),
  );

  return {
    tables: models.map(table).sort(),
    columns: columns.sort(),
    indexes: indexLines.sort(),
    foreignKeys: foreignKeys.sort(),
    enums: enums.map((e) => `${e.dbName ?? e.name}: ${e.values.map((v) => v.dbName ?? v.name).join(', ')}`).sort(),
  };
}

const ACTIONS: Record<string, string> = { Cascade: 'CASCADE', Restrict: 'RESTRICT', NoAction: 'NO ACTION', SetNull: 'SET NULL', SetDefault: 'SET DEFAULT' };

/** The default as compared: a literal's text, `now()`, `autoincrement()`, or dbgenerated SQL. */
function prismaDefault(f: DmmfField): string | null {
  if (!f.hasDefaultValue || f.isUpdatedAt) return null;
  const d = f.default;
  if (d && typeof d === 'object' && !Array.isArray(d)) {
    const fn = d as { name: string; args: unknown[] };
    if (CLIENT_DEFAULTS.has(fn.name)) return null;
    if (fn.name === 'dbgenerated') return String(fn.args[0] ?? '');
    return `${fn.name}()`;
  }
  if (Array.isArray(d)) return `{${d.join(',')}}`;
  return BARE_LITERALS.has(f.type) ? String(d) : `'${String(d).replace(/'/g, "''")}'`;
}

// Scalars whose defaults PostgreSQL prints without quotes; everything else is a quoted literal.
const BARE_LITERALS = new Set(['Int', 'BigInt', 'Float', 'Decimal', 'Boolean']);

/** Prisma's default constraint/index name: <table>_<columns>_<suffix>, cut to PostgreSQL's 63 bytes. */
function defaultName(table: string, columns: string[], suffix: string): string {
  const base = [table, ...columns].join('_');
  return `${base.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}

// ---- The database's side -------------------------------------------------------------------

async function shapeOfDatabase(url: string, schema: string): Promise<Shape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async <T extends pg.QueryResultRow>(sql: string) => (await client.query<T>(sql, [schema])).rows;
    const tables = await q<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'`,
    );
    const columns = await q<{ tbl: string; col: string; type: string; notnull: boolean; def: string | null }>(
      `SELECT c.relname AS tbl, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
              pg_get_expr(d.adbin, d.adrelid) AS def
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations' AND a.attnum > 0 AND NOT a.attisdropped`,
    );
    const indexes = await q<{ tbl: string; name: string; primary: boolean; unique: boolean; method: string; cols: string[] }>(
      `SELECT t.relname AS tbl, i.relname AS name, x.indisprimary AS primary, x.indisunique AS unique, am.amname AS method,
              array(SELECT coalesce(a.attname, '(' || pg_get_indexdef(x.indexrelid, k.ord::int, true) || ')')
                           || CASE WHEN pg_index_column_has_property(x.indexrelid, k.ord::int, 'desc') THEN ' DESC' ELSE '' END
                      FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                      LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                     ORDER BY k.ord) AS cols
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = i.relam
        WHERE n.nspname = $1 AND t.relname <> '_prisma_migrations'`,
    );
    const fks = await q<{ tbl: string; cols: string[]; ref: string; refcols: string[]; del: string; upd: string }>(
      `SELECT t.relname AS tbl, r.relname AS ref,
              array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols,
              array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS refcols,
              c.confdeltype AS del, c.confupdtype AS upd
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = $1 AND c.contype = 'f'`,
    );
    const enums = await q<{ name: string; labels: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = $1 GROUP BY t.typname`,
    );
    const action: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
    return {
      tables: tables.map((t) => t.name).sort(),
      columns: columns.map((c) => columnLine(c.tbl, c.col, c.type, c.notnull, databaseDefault(c.def))).sort(),
      indexes: indexes
        .map((i) => indexLine(i.tbl, i.name, i.primary ? 'PRIMARY KEY' : i.unique ? 'UNIQUE' : 'INDEX', i.method, i.cols))
        .sort(),
      foreignKeys: fks.map((f) => fkLine(f.tbl, f.cols, f.ref, f.refcols, action[f.del] ?? f.del, action[f.upd] ?? f.upd)).sort(),
      enums: enums.map((e) => `${e.name}: ${e.labels.join(', ')}`).sort(),
    };
  } finally {
    await client.end();
  }
}

const NUMERIC_CASTS = /^(integer|bigint|smallint|numeric.*|double precision|real)$/;

/** PostgreSQL's stored default expression, in the form prismaDefault() gives. */
function databaseDefault(expr: string | null): string | null {
  if (expr === null) return null;
  if (/^nextval\(/.test(expr)) return 'autoincrement()';
  if (expr === 'CURRENT_TIMESTAMP' || expr === 'now()') return 'now()';
  // 'text'::type, where a negative number also prints quoted ('-1'::integer).
  const literal = /^('(?:[^']|'')*')::([\w ".[\]()]+)$/s.exec(expr);
  if (literal) return NUMERIC_CASTS.test(literal[2]!) ? literal[1]!.slice(1, -1) : literal[1]!;
  const number = /^\(?(-?[\d.e+]+)\)?(?:::[\w ]+)?$/.exec(expr);
  if (number) return number[1]!;
  return expr;
}

// ---- One line per fact, the same text from both sides ----------------------------------------

function columnLine(table: string, column: string, type: string, required: boolean, def: string | null): string {
  return `${table}.${column} ${type}${required ? ' NOT NULL' : ''}${def === null ? '' : ` DEFAULT ${def}`}`;
}

function indexLine(table: string, name: string, kind: string, method: string, columns: string[]): string {
  return `${table}: ${kind} ${name} USING ${method} (${columns.join(', ')})`;
}

function fkLine(table: string, cols: string[], ref: string, refCols: string[], onDelete: string, onUpdate: string): string {
  return `${table}(${cols.join(', ')}) REFERENCES ${ref}(${refCols.join(', ')}) ON DELETE ${onDelete} ON UPDATE ${onUpdate}`;
}
