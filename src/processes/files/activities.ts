import { Context } from '@temporalio/activity';
import type { FeishuClient } from '../../platform/feishu/client';
import { importDoneCard, importFailedCard, importProgressCard } from './cards';
import { importerOf, readChatFile, sendErrorWorkbook } from './read-chat-file';
import { importFile, KIND_NAMES, mayImport, previewFile } from './chat-file';
import type { PrismaClient } from '../../platform/db/database';
import { dateIn } from '../../core/dates';
import type { FileImportInput, FileImportResult } from './contract';

// Progress is patched onto the card at most once a second (Feishu limits card updates), and heartbeated.

export function fileImportActivities({
  prisma,
  feishu,
  timeZone,
}: {
  prisma: PrismaClient;
  feishu: FeishuClient;
  timeZone: string;
}) {
  return {
    async runFileImport(input: FileImportInput): Promise<FileImportResult> {
      const { fileName, kind, cardMessageId } = input;
      const importer = await importerOf({ prisma }, input.actor);
      if (!importer || !mayImport(importer, kind)) return { status: 'refused', errors: 0, reason: 'not allowed' };
      const read = await readChatFile({ feishu }, input.messageId, { fileKey: input.fileKey, fileName });
      if (!read.ok) {
        await feishu.patchCard(cardMessageId, importFailedCard(fileName, [], read.message));
        return { status: 'refused', errors: 0, reason: read.message };
      }
      let errors = (await previewFile(prisma, kind, read.sheet, importer)).errors;
      if (!errors.length) {
        let lastPatch = 0;
        const run = { fileName, actor: input.actor, today: dateIn(timeZone, new Date()) };
        const result = await importFile(prisma, kind, read.sheet, run, (done, total) => {
          Context.current().heartbeat(done);
          if (Date.now() - lastPatch < 1000 || done === total) return;
          lastPatch = Date.now();
          feishu.patchCard(cardMessageId, importProgressCard(fileName, KIND_NAMES[kind], done, total)).catch(() => {}); // progress is best effort
        });
        if (result.ok) {
          await feishu.patchCard(cardMessageId, importDoneCard(fileName, KIND_NAMES[kind], result.summary));
          return { status: 'imported', summary: result.summary };
        }
        errors = result.errors;
      }
      await sendErrorWorkbook(
        { feishu },
        input.actor,
        fileName,
        read.sheet,
        errors,
        `file-import-errors-${input.messageId}`,
      );
      await feishu.patchCard(cardMessageId, importFailedCard(fileName, errors));
      return { status: 'refused', errors: errors.length };
    },
  };
}

export type FileImportActivities = ReturnType<typeof fileImportActivities>;
