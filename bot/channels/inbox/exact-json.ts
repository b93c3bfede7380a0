// JSON from Zalo carries ids beyond 2^53. Parsing with the reviver's source text keeps every
// number as the exact digits it arrived with (a string), so no id is ever rounded.

/** Parse JSON, turning every number into its source text. Throws SyntaxError like JSON.parse. */
export function parseExactJson(raw: string): unknown {
  return JSON.parse(raw, (_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined ? context.source : value,
  );
}
