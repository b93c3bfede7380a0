// CSV as spreadsheets read it: UTF-8 with a byte-order mark (so Excel shows Vietnamese), CRLF,
// and quoting of anything with a comma, quote or line break. Cells starting with = + - @ are
// prefixed with ' so a spreadsheet never runs them as formulas.
export function csv(rows: string[][]): string {
  const field = (v: string) => {
    const safe = /^[=+\-@]/.test(v) && !/^-?\d/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\uFEFF${rows.map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}
