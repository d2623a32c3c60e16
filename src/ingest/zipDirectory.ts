/**
 * The entries of a zip as its central directory lists them (an XLSX workbook is a zip of XML
 * parts): read by the delivered-workbook reader (./xlsxTable.ts) and by the screening upload's
 * inflation budget (./screeningFile.ts), each judging the entries its own way.
 */
export interface ZipEntry {
  name: string;
  flags: number;
  /** 0 stored, 8 deflated */
  method: number;
  crc: number;
  /** the inflated size the directory declares (it can lie) */
  size: number;
  /** the compressed size the directory declares */
  compressedSize: number;
  /** the entry's bytes as stored: shorter than compressedSize when the file is cut off */
  data: Buffer;
}

/** Where the zip's shape is broken: no end record, a bad directory entry, a bad local entry. */
export class ZipShapeError extends Error {
  constructor(
    readonly part: 'end' | 'directory' | 'entry',
    problem: string,
  ) {
    super(problem);
    this.name = 'ZipShapeError';
  }
}

const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;
/** the end record's size, plus the longest comment that may follow it */
const END_SEARCH = 22 + 0xffff;

export function zipEntries(bytes: Buffer): ZipEntry[] {
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - END_SEARCH); i--) {
    if (bytes.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipShapeError('end', 'no end of central directory');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff) throw new ZipShapeError('directory', 'zip64');
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== ZIP_CENTRAL) throw new ZipShapeError('directory', 'bad central directory');
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const crc = bytes.readUInt32LE(at + 16);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const size = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== ZIP_LOCAL) throw new ZipShapeError('entry', 'bad local header');
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    entries.push({ name, flags, method, crc, size, compressedSize, data: bytes.subarray(start, start + compressedSize) });
  }
  return entries;
}
