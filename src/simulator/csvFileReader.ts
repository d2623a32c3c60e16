/**
 * Reading back a delivery CSV the simulator wrote (GBK, or UTF-8 with a byte order mark; CRLF;
 * fields quoted only where needed), row by row in chunks, so that a department's next delivery
 * can be made from its last one without holding a whole city's file in memory.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import iconv from 'iconv-lite';
import type { CsvEncoding } from './csvFile';

const CHUNK_BYTES = 1 << 20;

/** Splits one line into fields, undoing the writer's quoting (`"a,b"`, `""` for a quote). */
export function csvFieldsOf(line: string): string[] {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    if (line[at] === '"') {
      let value = '';
      let i = at + 1;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) throw new Error(`unterminated quoted field: ${line}`);
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', at);
      fields.push(line.slice(at, comma < 0 ? line.length : comma));
      at = comma < 0 ? line.length : comma;
    }
    if (at >= line.length) return fields;
    at += 1; // the comma
    if (at === line.length) {
      fields.push('');
      return fields;
    }
  }
}

/** The file's lines as fields, the header first, each with its physical line number (header = 1). */
export function* csvRows(path: string, encoding: CsvEncoding): Generator<{ line: number; cells: string[] }> {
  const fd = openSync(path, 'r');
  const decoder = iconv.getDecoder(encoding === 'gbk' ? 'gbk' : 'utf8');
  const buffer = Buffer.alloc(CHUNK_BYTES);
  let rest = '';
  let line = 0;
  let first = true;
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      let text = read > 0 ? decoder.write(buffer.subarray(0, read)) : (decoder.end() ?? '');
      if (first && text.length > 0) {
        text = text.replace(/^\uFEFF/, '');
        first = false;
      }
      rest += text;
      const lines = rest.split('\r\n');
      rest = read > 0 ? (lines.pop() as string) : '';
      for (const text of lines) {
        line += 1;
        if (read === 0 && text === '') continue;
        yield { line, cells: csvFieldsOf(text) };
      }
      if (read === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}
