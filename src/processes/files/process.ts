import type { FilesAction } from './cards';
import { defineChat, type CardHandler } from '../chat-kit';
import { defineProcess } from '../process';
import { fileImportActivities } from './activities';
import { confirmFileImport, sendImportTemplates } from './chat';

// Spreadsheets sent in chat: the blank templates (模板), the preview and the import after 导入.
export const files = defineProcess({
  name: 'files',
  chat: defineChat({
    intents: {
      importTemplates: {
        words: ['模板', '导入模板', '表格模板'],
        description: '(法制员、司法局)人员名册、培训记录、工作日历的空白导入模板;填好后直接发给我即可导入',
        phrases: `
          模版 名册…模板 表格 表头 template excel模板 格式 空白表 导入…表 导入…格式 导…人员 名册导入 下载 登记表 表…模板
          excel模板 template
        `,
        roles: ['admin', 'bureau'],
        handler: sendImportTemplates,
      },
    },
    cardActions: { file_import: confirmFileImport } satisfies Record<FilesAction, CardHandler>,
  }),
  activities: (deps) => fileImportActivities(deps),
});
