import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import { replanProvisionalSteps } from '../casework/calendar-store';
import { FILE_KINDS, importFile, KIND_NAMES, mayImport, previewFile } from './chat-file';
import { dateIn } from '../../core/dates';
import type { RowError } from '../../core/table-rows';
import { fileImportWorkflow } from './workflow';
import { fileImportWorkflowId, LARGE_IMPORT_ROWS } from './contract';
import { importDoneCard, importFailedCard, importPreviewCard, importProgressCard } from './cards';
import type { BotContext } from '../chat-kit';
import { importerOf, readChatFile, sendErrorWorkbook } from './read-chat-file';
export { MAX_FILE_BYTES, MAX_ROWS } from './read-chat-file';
import { importTemplate, TEMPLATE_KINDS, templateFileName } from './templates';
import type { CardActionEvent } from '../../platform/feishu/events';
import type { Ask } from '../chat-kit';
import type { CardResponse } from '../chat-kit';

// A spreadsheet sent in chat: read it, say what it is and what importing it would change, and import only
// when the admin clicks 导入. Nothing is kept in memory between the two: the button carries the message id
// and file_key, and the click downloads the file again and checks it again (the roster may have changed).

const ImportValue = z.object({
  messageId: z.string().min(1),
  fileKey: z.string().min(1),
  fileName: z.string(),
  kind: z.enum(FILE_KINDS),
});

export async function receiveFile(
  ctx: BotContext,
  ask: Ask,
  messageId: string,
  file: { fileKey: string; fileName: string },
): Promise<void> {
  const say = (text: string) => ctx.feishu.sendText(ask.openId, text, `${ask.replyKey}-file`);
  const importer = await importerOf(ctx, ask.openId);
  if (!importer) return void (await say('您还不在执法通的人员名册中,暂时不能导入文件。请联系本单位法制员。'));
  if (importer.role !== 'admin' && importer.role !== 'bureau') {
    return void (await say('您好,名册和培训记录由本单位法制员或司法局导入。如需更正自己的信息,请联系本单位法制员。'));
  }
  const read = await readChatFile(ctx, messageId, file);
  if (!read.ok) return void (await say(read.message));
  if (!mayImport(importer, read.kind)) return void (await say(`${KIND_NAMES[read.kind]}由司法局导入。`));
  const preview = await previewFile(ctx.prisma, read.kind, read.sheet, importer);
  const value = { messageId, fileKey: file.fileKey, fileName: file.fileName, kind: read.kind };
  await ctx.feishu.sendCard(ask.openId, importPreviewCard(file.fileName, preview, value), `${ask.replyKey}-preview`);
  if (preview.errors.length)
    await sendErrorWorkbook(ctx, ask.openId, file.fileName, read.sheet, preview.errors, `${ask.replyKey}-errors`);
}

export async function confirmFileImport(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const parsed = ImportValue.safeParse(event.value);
  if (!parsed.success) return { toast: { type: 'error', content: '这个按钮已失效,请重新发送文件' } };
  const { messageId, fileKey, fileName, kind } = parsed.data;
  const importer = await importerOf(ctx, event.openId);
  if (!importer || !mayImport(importer, kind))
    return { toast: { type: 'warning', content: '您没有导入这个文件的权限' } };
  const read = await readChatFile(ctx, messageId, { fileKey, fileName });
  if (!read.ok || read.kind !== kind)
    return { toast: { type: 'error', content: read.ok ? '文件内容已变化,请重新发送' : read.message } };
  // Checked again at the click: the roster (and who may import what) can change after the preview.
  const preview = await previewFile(ctx.prisma, kind, read.sheet, importer);
  let errors: RowError[] = preview.errors;
  if (!errors.length && read.sheet.rows.length > LARGE_IMPORT_ROWS && event.messageId)
    return importInBackground(ctx, event, parsed.data, read.sheet.rows.length);
  if (!errors.length) {
    const result = await importFile(ctx.prisma, kind, read.sheet, {
      fileName,
      actor: event.openId,
      today: dateIn(ctx.config.TZ_CALENDAR, new Date()),
    });
    // Cases planned 暂定 through a year just loaded plan again now (the daily watch retries what this misses).
    if (result.ok && kind === 'calendar')
      await replanProvisionalSteps(ctx.prisma, ctx.temporal, ctx.config.TZ_CALENDAR);
    if (result.ok)
      return {
        toast: { type: 'success', content: '已导入' },
        card: { type: 'raw', data: importDoneCard(fileName, KIND_NAMES[kind], result.summary) },
      };
    errors = result.errors;
  }
  await sendErrorWorkbook(
    ctx,
    event.openId,
    fileName,
    read.sheet,
    errors,
    `import-errors-${event.eventId ?? Date.now()}`,
  );
  return {
    toast: { type: 'error', content: '文件有错误,未导入' },
    card: { type: 'raw', data: importFailedCard(fileName, errors) },
  };
}

/** A large file: the card shows progress at once, and a workflow imports it (the click must answer within 3 s). */
async function importInBackground(
  ctx: BotContext,
  event: CardActionEvent,
  file: z.infer<typeof ImportValue>,
  rows: number,
): Promise<CardResponse> {
  const cardMessageId = event.messageId!;
  await ctx.feishu.patchCard(cardMessageId, importProgressCard(file.fileName, KIND_NAMES[file.kind], 0, rows));
  try {
    await ctx.temporal.workflow.start(fileImportWorkflow, {
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      workflowId: fileImportWorkflowId(file.messageId, file.fileKey),
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      args: [{ ...file, cardMessageId, actor: event.openId }],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError)
      return { toast: { type: 'info', content: '这个文件正在导入' } };
    throw error;
  }
  return { toast: { type: 'success', content: '已开始导入' } };
}

/** `模板`: one blank workbook per kind the sender may import, each with a 填写说明 sheet. */
export async function sendImportTemplates(ctx: BotContext, ask: Ask): Promise<void> {
  const importer = await importerOf(ctx, ask.openId);
  // A unit admin gets the register's template only for a township on the register: county departments have admins too.
  const onRegister =
    importer?.role === 'admin' &&
    !!(await ctx.prisma.empowermentVersion.findFirst({ where: { township: importer.unitName }, select: { id: true } }));
  const kinds = importer
    ? TEMPLATE_KINDS.filter(
        (kind) => mayImport(importer, kind) && (kind !== 'empowerment' || importer.role === 'bureau' || onRegister),
      )
    : [];
  if (!kinds.length) {
    return void (await ctx.feishu.sendText(
      ask.openId,
      '导入模板供法制员和司法局使用。名册和培训记录由本单位法制员导入。',
      `${ask.replyKey}-templates`,
    ));
  }
  for (const kind of kinds) {
    const fileKey = await ctx.feishu.uploadFile(await importTemplate(kind), templateFileName(kind), 'xls');
    await ctx.feishu.sendFile(ask.openId, fileKey, `${ask.replyKey}-template-${kind}`);
  }
  await ctx.feishu.sendText(
    ask.openId,
    '以上是导入模板(第二个工作表是填写说明)。填好后把文件直接发给我,我会先给您看预览,确认后再导入。',
    `${ask.replyKey}-templates`,
  );
}
