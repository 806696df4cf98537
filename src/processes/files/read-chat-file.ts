import path from 'node:path';
import { holidayNoticeSheet } from '../casework/calendar-store';
import { readSheetBytes, SheetError, type Sheet } from '../../platform/sheets/spreadsheet';
import type { RowError } from '../../core/table-rows';
import type { BotContext } from '../chat-kit';
import { importErrorsFileName, importErrorsWorkbook } from './errors-workbook';
import { recogniseKind } from './chat-file';
import type { FileKind, Importer } from './kinds';

// Reading a file sent in chat, for the preview (chat.ts) and for the import after 导入 (activities.ts): who sent
// it, the file itself, and its errors as a workbook.

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_ROWS = 50_000;

type Read = { ok: true; sheet: Sheet; kind: FileKind } | { ok: false; message: string };

export async function importerOf(ctx: Pick<BotContext, 'prisma'>, openId: string): Promise<Importer | undefined> {
  const officer = await ctx.prisma.officer.findUnique({
    where: { openId },
    select: { role: true, unit: { select: { id: true, name: true } } },
  });
  return officer ? { openId, role: officer.role, unitId: officer.unit.id, unitName: officer.unit.name } : undefined;
}

/** Downloads and reads the file; every way it can be unusable ends in one sentence for the sender. */
export async function readChatFile(
  ctx: Pick<BotContext, 'feishu'>,
  messageId: string,
  file: { fileKey: string; fileName: string },
): Promise<Read> {
  const ext = path.extname(file.fileName).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.csv' && ext !== '.txt')
    return {
      ok: false,
      message: `「${file.fileName}」不是表格文件。请发送 .xlsx 或 .csv 文件(旧版 .xls 请在 Excel 中另存为 .xlsx;国务院放假通知请存为 .txt)。`,
    };
  const bytes = await ctx.feishu.downloadMessageFile(messageId, file.fileKey, MAX_FILE_BYTES);
  if (bytes === 'too-large') return { ok: false, message: `「${file.fileName}」超过 10 MB,请分成几个文件发送。` };
  if (ext === '.txt') {
    // A text file can only be the State Council's holiday notice: read as the calendar sheet it stands for.
    const notice = holidayNoticeSheet(new TextDecoder().decode(bytes));
    return notice.ok
      ? { ok: true, sheet: notice.sheet, kind: 'calendar' }
      : { ok: false, message: `「${file.fileName}」${notice.message}` };
  }
  let sheet: Sheet;
  try {
    sheet = await readSheetBytes(bytes, file.fileName);
  } catch (error) {
    if (!(error instanceof SheetError)) throw error;
    return { ok: false, message: error.message };
  }
  if (sheet.rows.length > MAX_ROWS)
    return {
      ok: false,
      message: `「${file.fileName}」有 ${sheet.rows.length} 行,超过 ${MAX_ROWS} 行的上限,请分成几个文件发送。`,
    };
  const kind = recogniseKind(sheet.headers);
  if (!kind) {
    return {
      ok: false,
      message: `没有认出「${file.fileName}」是哪种表格(表头: ${sheet.headers.filter(Boolean).join('、').slice(0, 120)})。人员名册需要 姓名、执法证号、单位 列;培训记录需要 执法证号、课程、类别、学时、日期 列;工作日历需要 日期、类型 列;赋权事项登记表需要 乡镇/街道、形式、文号、事项编码、事项名称、领域、法律依据 列;催办升级规则需要 流程、步骤、时点、通知对象 列;全员轮训需要 名称、课程、截止日期、单位 列;领域与原主管部门对照表需要 领域、原主管部门 列;线索办理规则需要 项目、时限、单位 列;追诉标准需要 案件类型、名称、追诉标准(元)、依据 列。`,
    };
  }
  return { ok: true, sheet, kind };
}

export async function sendErrorWorkbook(
  ctx: Pick<BotContext, 'feishu'>,
  openId: string,
  fileName: string,
  sheet: Sheet,
  errors: RowError[],
  uuid: string,
): Promise<void> {
  const fileKey = await ctx.feishu.uploadFile(
    await importErrorsWorkbook(sheet, errors),
    importErrorsFileName(fileName),
    'xls',
  );
  await ctx.feishu.sendFile(openId, fileKey, uuid);
}
