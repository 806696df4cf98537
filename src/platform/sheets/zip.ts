import { constants, crc32, inflateRawSync } from 'node:zlib';

// Just enough of the zip format to look inside an xlsx before anything is inflated: the central directory says
// every part's name and sizes, so an archive that would inflate past the cap is refused from its directory alone;
// a part is then inflated with its declared size as a hard ceiling, so a part that lies is stopped at that size.
// The layout is read the way JSZip (inside exceljs) reads it, and anything it would read differently
// (zip64, bytes prepended, encryption, other compression methods) is refused rather than guessed at.

export interface ZipEntry {
  name: string;
  method: 0 | 8;
  compressedSize: number;
  /** The uncompressed size the central directory declares. */
  size: number;
  /** Where the part's compressed bytes start. */
  dataOffset: number;
}

/** The archive is not one we read: a sentence fragment for the user (after the file's name). */
export class ZipProblem extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function readCentralDirectory(zip: Buffer, maxEntries: number): ZipEntry[] {
  const eocd = lastSignature(zip, EOCD);
  if (eocd < 0 || eocd + 22 > zip.length) throw new ZipProblem('不是有效的 Excel 工作簿(文件损坏或设置了密码)');
  const records = zip.readUInt16LE(eocd + 10);
  const directorySize = zip.readUInt32LE(eocd + 12);
  const directoryOffset = zip.readUInt32LE(eocd + 16);
  if (records === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff)
    throw new ZipProblem('是 zip64 格式,不是 Excel 保存的 .xlsx');
  // JSZip shifts every offset when bytes were prepended; an xlsx never has any, so the two must agree exactly.
  if (directoryOffset + directorySize !== eocd) throw new ZipProblem('不是有效的 Excel 工作簿(文件损坏)');
  if (records > maxEntries) throw new ZipProblem(`含有 ${records} 个部件,超过 ${maxEntries} 个的上限,不像是表格`);
  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  while (at + 46 <= zip.length && zip.readUInt32LE(at) === CENTRAL) {
    if (entries.length >= maxEntries) throw new ZipProblem(`含有超过 ${maxEntries} 个部件,不像是表格`);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength).replace(/^\//, '');
    if (flags & 1) throw new ZipProblem('设置了密码,请取消密码后另存为 .xlsx 再发送');
    if (method !== 0 && method !== 8) throw new ZipProblem('不是有效的 Excel 工作簿(使用了不支持的压缩方式)');
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff)
      throw new ZipProblem('是 zip64 格式,不是 Excel 保存的 .xlsx');
    if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL)
      throw new ZipProblem('不是有效的 Excel 工作簿(文件损坏)');
    // As JSZip does: the data follows the local header's own name and extra field, whatever the directory says.
    const dataOffset = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    if (dataOffset + compressedSize > zip.length) throw new ZipProblem('不是有效的 Excel 工作簿(文件不完整)');
    entries.push({ name, method, compressedSize, size, dataOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The part inflated, never past its declared size: a part that holds more is refused at that point. */
export function inflateEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const data = zip.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let out: Buffer;
  if (entry.method === 0) out = data;
  else if (entry.size === 0) out = Buffer.alloc(0);
  else {
    try {
      out = inflateRawSync(data, { maxOutputLength: entry.size });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw new ZipProblem(`不是有效的 Excel 工作簿(部件 ${entry.name} 解压后比文件声明的大小还大)`);
      throw new ZipProblem('不是有效的 Excel 工作簿(压缩数据损坏)');
    }
  }
  if (out.length !== entry.size)
    throw new ZipProblem(`不是有效的 Excel 工作簿(部件 ${entry.name} 的大小与文件声明的不符)`);
  return out;
}

/**
 * The start of a part, at most about 1,000 × `compressedBytes` inflated (deflate's highest ratio), for what an
 * xlsx declares up front (a sheet's `<dimension>`) without inflating the rest.
 */
export function inflateHead(zip: Buffer, entry: ZipEntry, compressedBytes = 4096): Buffer {
  const data = zip.subarray(entry.dataOffset, entry.dataOffset + Math.min(entry.compressedSize, compressedBytes));
  if (entry.method === 0) return data;
  try {
    return inflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    throw new ZipProblem('不是有效的 Excel 工作簿(压缩数据损坏)');
  }
}

/** A zip holding `parts` uncompressed: what exceljs is given once the parts it needs have been checked. */
export function storedZip(parts: Array<{ name: string; data: Buffer }>): Buffer {
  const chunks: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of parts) {
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    chunks.push(local, nameBytes, data);
    directory.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const central = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, central, end]);
}

/** The last place the 4-byte little-endian `signature` starts, as JSZip looks for the end record. */
function lastSignature(zip: Buffer, signature: number): number {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(signature);
  return zip.lastIndexOf(bytes);
}
