/**
 * Writing a delivery CSV as the departments export it: GBK (most feeds) or UTF-8 with a byte
 * order mark (region-stats), CRLF line ends, fields quoted only where a comma, quote or line
 * break needs it. Rows are buffered and encoded in chunks, so a city's worth streams to disk.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import iconv from 'iconv-lite';
import type { SheetCell } from './records';

export type CsvEncoding = 'gbk' | 'utf8-bom';

const CHUNK_CHARS = 1 << 18;
const QUESTION_MARK = 0x3f;

function field(value: SheetCell): string {
  const text = value === null ? '' : value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export class CsvFileWriter {
  private readonly fd: number;
  private parts: string[] = [];
  private chars = 0;
  /** data rows written */
  rows = 0;

  constructor(readonly path: string, header: readonly string[], private readonly encoding: CsvEncoding) {
    this.fd = openSync(path, 'w');
    if (encoding === 'utf8-bom') writeSync(this.fd, Buffer.from([0xef, 0xbb, 0xbf]));
    this.line(header);
  }

  write(cells: readonly SheetCell[]): void {
    this.line(cells);
    this.rows += 1;
  }

  private line(cells: readonly SheetCell[]): void {
    const text = `${cells.map(field).join(',')}\r\n`;
    this.parts.push(text);
    this.chars += text.length;
    if (this.chars >= CHUNK_CHARS) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    const bytes = this.encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
    // iconv-lite writes '?' for a character GBK lacks; the generator never writes a '?' itself.
    if (this.encoding === 'gbk' && bytes.indexOf(QUESTION_MARK) >= 0) {
      const bad = [...text].find((c) => c !== '?' && iconv.encode(c, 'gbk')[0] === QUESTION_MARK);
      throw new Error(`${this.path}: ${JSON.stringify(bad)} cannot be written in GBK`);
    }
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.parts = [];
    this.chars = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
