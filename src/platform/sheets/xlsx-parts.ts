import { decodeRange, type Merge } from './header';
import { ROWS_ABOVE_DATA, type SheetLimits } from './limits';
import { inflateEntry, inflateHead, readCentralDirectory, storedZip, ZipProblem, type ZipEntry } from './zip';

// An xlsx checked part by part before exceljs sees it, cheapest check first: the zip's directory (parts and their
// declared sizes), the first sheet's declared used range (`<dimension ref>`, at the head of its part), then the
// parts themselves inflated no further than declared, with their cells and merges counted. exceljs is then given
// a new zip of only the parts it needs to read that sheet's values: the workbook without its defined names (which
// exceljs expands cell by cell), its relationships, shared strings, styles (dates) and the one sheet. Its merges
// are read here and applied by us: exceljs compares every merge with every other on load.

export interface CheckedWorkbook {
  /** A stored (uncompressed) zip of the parts exceljs needs. */
  zip: Buffer;
  sheetName: string;
  merges: Merge[];
}

const WORKSHEET_PART = /xl\/worksheets\/sheet(\d+)[.]xml/; // what exceljs takes for a worksheet

export function checkedWorkbook(bytes: Buffer, limits: SheetLimits): CheckedWorkbook {
  const entries = readCentralDirectory(bytes, limits.maxZipEntries);
  const declared = entries.reduce((sum, entry) => sum + entry.size, 0);
  if (declared > limits.maxUnpackedBytes) {
    throw new ZipProblem(
      `解压后有 ${megabytes(declared)} MB,超过 ${megabytes(limits.maxUnpackedBytes)} MB 的上限:请删除多余的工作表、图片和格式,另存后再发送`,
    );
  }
  // A later part of the same name wins, as in JSZip.
  const parts = new Map(entries.map((entry) => [entry.name, entry]));
  const text = (entry: ZipEntry) => inflateEntry(bytes, entry).toString('utf8');
  const workbookEntry = parts.get('xl/workbook.xml');
  const relsEntry = parts.get('xl/_rels/workbook.xml.rels');
  if (!workbookEntry || !relsEntry) throw new ZipProblem('不是有效的 Excel 工作簿(缺少工作簿目录)');
  const workbookXml = text(workbookEntry);
  const relsXml = text(relsEntry);
  const first = firstSheet(workbookXml, relsXml, parts);
  if (!first) throw new ZipProblem('没有工作表');

  const sheetEntry = parts.get(first.path)!;
  checkDeclaredRange(inflateHead(bytes, sheetEntry).toString('latin1'), first.name, limits);
  const sheetXml = inflateEntry(bytes, sheetEntry);
  const cells = countTags(sheetXml, 'c');
  if (cells > limits.maxCells)
    throw new ZipProblem(
      `的工作表「${first.name}」有 ${cells} 个单元格,超过 ${limits.maxCells} 个的上限:请删除数据以外的行和列后再发送`,
    );
  const merges = mergesOf(sheetXml, first.name, limits);

  const kept = [
    { name: 'xl/workbook.xml', data: Buffer.from(withoutDefinedNames(workbookXml)) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(relsXml) },
    { name: first.path, data: sheetXml },
  ];
  const strings = parts.get('xl/sharedStrings.xml');
  if (strings) {
    const data = inflateEntry(bytes, strings);
    const count = countTags(data, 'si');
    if (count > limits.maxCells)
      throw new ZipProblem(`有 ${count} 个共享字符串,超过 ${limits.maxCells} 个的上限,不像是正常的表格`);
    kept.push({ name: 'xl/sharedStrings.xml', data });
  }
  const styles = parts.get('xl/styles.xml');
  if (styles) kept.push({ name: 'xl/styles.xml', data: inflateEntry(bytes, styles) });
  return { zip: storedZip(kept), sheetName: first.name, merges };
}

/** The first sheet exceljs would show: the first `<sheet>` of the workbook whose part is a worksheet in the zip. */
function firstSheet(
  workbookXml: string,
  relsXml: string,
  parts: Map<string, ZipEntry>,
): { name: string; path: string } | undefined {
  const targets = new Map<string, string>();
  for (const [tag] of relsXml.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attribute(tag, 'Id');
    const target = attribute(tag, 'Target');
    if (id && target) targets.set(id, target);
  }
  for (const [tag] of workbookXml.matchAll(/<sheet\b[^>]*>/g)) {
    const target = targets.get(attribute(tag, 'r:id') ?? '');
    if (!target) continue;
    const path = `xl/${target.replace(/^(\s|\/xl\/)+/, '')}`;
    if (parts.has(path) && WORKSHEET_PART.test(path)) return { name: unescapeXml(attribute(tag, 'name') ?? ''), path };
  }
  return undefined;
}

/** The used range a sheet declares at its head, checked against the limits before the sheet is inflated. */
function checkDeclaredRange(head: string, sheetName: string, limits: SheetLimits): void {
  const beforeData = head.split(/<(?:\w+:)?sheetData\b/)[0]!;
  const ref = /<(?:\w+:)?dimension\b[^>]*\bref="([^"]+)"/.exec(beforeData)?.[1];
  if (!ref) return;
  const range = decodeRange(ref.includes(':') ? ref : `${ref}:${ref}`);
  if (!range) return;
  const rows = range.bottom + 1;
  const columns = range.right + 1;
  if (rows > limits.maxRows + ROWS_ABOVE_DATA) {
    throw new ZipProblem(
      `的工作表「${sheetName}」范围是 ${ref},有 ${rows} 行,超过 ${limits.maxRows} 行的上限,请分成几个文件发送`,
    );
  }
  if (rows * columns > limits.maxCells) {
    throw new ZipProblem(
      `的工作表「${sheetName}」范围是 ${ref}(${rows} 行 × ${columns} 列),超过 ${limits.maxCells} 个单元格的上限:请删除数据以外的行和列(或把数据复制到新文件)后再发送`,
    );
  }
}

function mergesOf(sheetXml: Buffer, sheetName: string, limits: SheetLimits): Merge[] {
  const start = sheetXml.indexOf('<mergeCells');
  if (start < 0) return [];
  const end = sheetXml.indexOf('</mergeCells>', start);
  const section = sheetXml.toString('latin1', start, end < 0 ? sheetXml.length : end);
  const merges: Merge[] = [];
  let area = 0;
  for (const [, ref] of section.matchAll(/<mergeCell\b[^>]*\bref="([^"]+)"/g)) {
    const merge = decodeRange(ref!);
    if (!merge) continue;
    merges.push(merge);
    area += (merge.bottom - merge.top + 1) * (merge.right - merge.left + 1);
    if (merges.length > limits.maxMerges || area > limits.maxCells) {
      throw new ZipProblem(
        `的工作表「${sheetName}」合并单元格过多(超过 ${limits.maxMerges} 处或 ${limits.maxCells} 个单元格),请取消多余的合并后再发送`,
      );
    }
  }
  return merges;
}

/** exceljs expands every defined name's range cell by cell (a name over A:XFD is 17 billion); reading needs none. */
function withoutDefinedNames(workbookXml: string): string {
  return workbookXml.replace(/<definedNames\b[\s\S]*?<\/definedNames>/g, '');
}

/** How many `<tag …>` elements (with or without attributes) the part holds, without decoding it. */
function countTags(xml: Buffer, tag: string): number {
  let count = 0;
  for (const opening of [`<${tag} `, `<${tag}>`, `<${tag}/>`]) {
    for (let at = xml.indexOf(opening); at >= 0; at = xml.indexOf(opening, at + opening.length)) count++;
  }
  return count;
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name.replace(':', '\\:')}="([^"]*)"`).exec(tag)?.[1];
}

function unescapeXml(value: string): string {
  return value.replace(
    /&(lt|gt|quot|apos|amp);/g,
    (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!,
  );
}

const megabytes = (bytes: number) => Math.ceil(bytes / 1024 / 1024);
