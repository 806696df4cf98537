import type { BotContext } from './chat-kit';
import { FeishuApiError, FeishuNetworkError } from '../platform/feishu/client';
import type { CardActionEvent } from '../platform/feishu/events';
import type { CardResponse } from './chat-kit';

// The last two steps of every 导出Excel button: upload the workbook (im files API) and send it to the clicker as
// a file message. One place decides what a click answers when Feishu fails, so every export behaves alike.

export interface WorkbookToSend {
  bytes: Buffer;
  fileName: string;
  /** Names the export in the message uuid and in the log, e.g. `export-county-hours`. */
  kind: string;
  /** What the log line says was being exported (`县市场监管局`, `HN001`…). */
  subject: string;
}

export async function sendWorkbook(
  ctx: BotContext,
  event: CardActionEvent,
  file: WorkbookToSend,
): Promise<CardResponse> {
  try {
    const fileKey = await ctx.feishu.uploadFile(file.bytes, file.fileName, 'xls');
    // One file per click: a redelivered click (same event id) carries the same uuid, so Feishu sends no second copy.
    await ctx.feishu.sendFile(
      event.openId,
      fileKey,
      `${file.kind}-${event.eventId ?? `${event.openId}-${Date.now()}`}`,
    );
  } catch (error) {
    // Feishu said no or could not be reached: tell the clicker to try again; our own bugs still throw.
    if (!(error instanceof FeishuApiError) && !(error instanceof FeishuNetworkError)) throw error;
    ctx.log(`${file.kind} 失败(${file.subject}): ${error.message}`);
    return { toast: { type: 'error', content: '文件没有发出去,请稍后再试' } };
  }
  return { toast: { type: 'success', content: '已发送Excel' } };
}

/** The clicker as every export checks them: who they are, their role and their unit. */
export async function findClicker(ctx: BotContext, event: CardActionEvent) {
  return ctx.prisma.officer.findUnique({
    where: { openId: event.openId },
    select: { id: true, name: true, certNo: true, role: true, unit: { select: { id: true, name: true } } },
  });
}

export const NOT_IN_ROSTER: CardResponse = { toast: { type: 'error', content: '您还不在执法通的人员名册中' } };
