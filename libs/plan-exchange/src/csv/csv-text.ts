/**
 * CSV text ⇄ records (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes,
 * CRLF or LF), with the line each record starts on so errors can name it. The separator is
 * `,` or `;` (what spreadsheets in many locales write), decided by the header line.
 *
 *   readCsv('title,duration\n"Build, test",5\n') → {header: ['title','duration'], rows: [{line: 2, cells: ['Build, test','5']}]}
 *   writeCsv([['title'], ['a "b"']]) → 'title\r\n"a ""b"""\r\n'
 */

export interface CsvRow {
  /** 1-based line of the file where the record starts. */
  readonly line: number;
  readonly cells: readonly string[];
}

export interface CsvTable {
  readonly separator: ',' | ';';
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export function readCsv(text: string): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const separator = separatorOf(body);
  const records: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let i = 0;
  const endRecord = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0].trim() === '')) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  while (i < body.length) {
    const c = body[i];
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      i++;
      continue;
    }
    if (c === '"' && cell.trim() === '') {
      quoted = true;
      quoteLine = line;
      cell = '';
    } else if (c === separator) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else cell += c;
    i++;
  }
  if (quoted) throw new CsvSyntaxError(quoteLine, 'a quoted field is not closed');
  if (cell !== '' || cells.length > 0) endRecord();
  const [header, ...rows] = records;
  return {
    separator,
    header: (header?.cells ?? []).map((h) => h.trim()),
    rows,
  };
}

function separatorOf(text: string): ',' | ';' {
  const end = text.search(/\r|\n/);
  const first = end < 0 ? text : text.slice(0, end);
  const count = (s: string): number => first.split(s).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

export function writeCsv(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((row) => row.map((v) => csvCell(String(v))).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  // a leading = + - @ would run as a formula in a spreadsheet; a quote and apostrophe keep it text
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}
