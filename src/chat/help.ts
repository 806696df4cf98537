import { card, divider, markdown, note } from '../core/cards/card-kit';
import { escapeMarkdown } from '../core/cards/escape';

/** The help card: every word that works, with what it does; the routes come from the processes' registrations. */
export function helpCard(routes: { words: string[]; description: string }[], preface?: string) {
  const lines = routes.map((route) => `- **${route.words[0]}**:${route.description}`);
  return card('执法通 · 我能做什么', 'blue', [
    // The preface may quote what the person typed: shown as text.
    ...(preface ? [markdown(escapeMarkdown(preface)), divider()] : []),
    markdown(`直接发送下面的词即可:\n${lines.join('\n')}`),
    {
      tag: 'button',
      text: { tag: 'plain_text', content: '查看我的证件' },
      type: 'primary',
      behaviors: [{ type: 'callback', value: { action: 'run_intent', intent: 'myCertificate' } }],
    },
    note('执法通服务于行政执法人员、单位法制员、负责人和分管领导。'),
  ]);
}
