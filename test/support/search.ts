// Search every column of every table in a schema for strings: the privacy tests' net.
// Each value is cast to text, so JSON, arrays and numbers are searched too.
import pg from 'pg';

export interface Hit {
  table: string;
  column: string;
  needle: string;
}

const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;

/** Case-insensitive substring search for each needle (NFC and NFD); returns where each was found. */
export async function findInSchema(databaseUrl: string, schema: string, needles: string[]): Promise<Hit[]> {
  const url = new URL(databaseUrl);
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const cols = await client.query<{ table_name: string; column_name: string }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE' ORDER BY 1, 2`,
      [schema],
    );
    if (cols.rows.length === 0) throw new Error(`schema ${schema} has no tables: wrong schema?`);
    const hits: Hit[] = [];
    for (const { table_name: table, column_name: column } of cols.rows) {
      for (const needle of needles) {
        const res = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${quote(schema)}.${quote(table)}
           WHERE strpos(lower(${quote(column)}::text), lower($1)) > 0 OR strpos(lower(${quote(column)}::text), lower($2)) > 0`,
          [needle.normalize('NFC'), needle.normalize('NFD')],
        );
        if ((res.rows[0]?.n ?? 0) > 0) hits.push({ table, column, needle });
      }
    }
    return hits;
  } finally {
    await client.end();
  }
}
