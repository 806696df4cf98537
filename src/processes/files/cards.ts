import type { FileKind, Preview } from './chat-file';
import { KIND_NAMES } from './chat-file';
import type { RowError } from '../../core/table-rows';
import { card, fields, markdown, note } from '../../core/cards/card-kit';
import { escapeMarkdown, escapeMarkdownLine as esc } from '../../core/cards/escape';

/** The buttons this process's cards carry (`value.action`); process.ts maps each to its handler, so a misspelt one is a type error. */
export type FilesAction = 'file_import';

// The cards around a file sent in chat: the preview (nothing written yet), the result, the errors.

const SHOWN_ERRORS = 20;

/** What a file that replaces its whole table would drop, said apart from the counts so it is not missed. */
const REMOVED: Partial<Record<FileKind, string>> = {
  escalation: '条现有规则',
  department_map: '个现有领域',
  lead_rules: '种现有线索类型',
  referral_threshold: '项现有追诉标准',
};

const button = (label: string, type: 'primary' | 'default', value: Record<string, unknown>) => ({
  tag: 'button',
  text: { tag: 'plain_text', content: label },
  type,
  behaviors: [{ type: 'callback', value }],
});

function errorLines(errors: RowError[]): string {
  const lines = errors
    .slice(0, SHOWN_ERRORS)
    .map((e) => `第 ${e.row} 行 · ${esc(e.column)}${e.value ? `「${esc(e.value)}」` : ''}: ${esc(e.message)}`);
  return (
    lines.join('\n') +
    (errors.length > SHOWN_ERRORS ? `\n……另有 ${errors.length - SHOWN_ERRORS} 处,见错误清单文件` : '')
  );
}

/** `importValue` is what the 导入 button carries back (where the file is, so nothing is kept in memory). */
export function importPreviewCard(fileName: string, preview: Preview, importValue: Record<string, unknown>) {
  const summary = fields([
    ['文件', fileName],
    ['类型', KIND_NAMES[preview.kind]],
    ['行数', String(preview.rows)],
    [
      preview.counted ? `新增 / 更新 / 未变(${preview.counted})` : '新增 / 更新 / 未变',
      `${preview.added} / ${preview.updated} / ${preview.unchanged}`,
    ],
  ]);
  if (preview.errors.length) {
    return card('文件有错误,未导入', 'red', [
      summary,
      markdown(`**${preview.errors.length} 处错误**\n${errorLines(preview.errors)}`),
      note('完整错误清单已作为 Excel 文件发给您(最后一列是错误说明)。改正后请重新发送文件;此前不会写入任何数据。'),
    ]);
  }
  return card(`导入预览 · ${KIND_NAMES[preview.kind]}`, 'blue', [
    summary,
    ...(preview.removed
      ? [markdown(`**将删除 ${preview.removed} ${REMOVED[preview.kind] ?? '条现有记录'}**(文件中没有,导入后不再生效)`)]
      : []),
    button('导入', 'primary', { ...importValue, action: 'file_import' satisfies FilesAction }),
    note('点击「导入」之前不会写入任何数据。'),
  ]);
}

export function importDoneCard(fileName: string, kindName: string, summary: string) {
  return card(`已导入 · ${kindName}`, 'green', [
    fields([
      ['文件', fileName],
      ['结果', summary],
    ]),
  ]);
}

/** `message`: a file that could not be read at all (one sentence instead of a list). */
export function importFailedCard(fileName: string, errors: RowError[], message?: string) {
  return card('导入未完成,未写入数据', 'red', [
    fields([
      ['文件', fileName],
      ['错误', message ? '文件无法读取' : `${errors.length} 处`],
    ]),
    markdown(message !== undefined ? escapeMarkdown(message) : errorLines(errors)),
  ]);
}

export function importProgressCard(fileName: string, kindName: string, done: number, total: number) {
  return card(`正在导入 · ${kindName}`, 'wathet', [
    fields([
      ['文件', fileName],
      ['进度', `${done} / ${total} 行`],
    ]),
    note('导入在后台进行,您可以继续使用执法通;完成后这张卡片会更新。'),
  ]);
}
