import type { ChatAction } from './chat-actions';
import { card, divider, markdown, note } from '../core/cards/card-kit';
import { escapeMarkdown } from '../core/cards/escape';

export interface HelpRoute {
  intent: string;
  words: string[];
  description: string;
}

const runIntent = (intent: string) => ({
  type: 'callback',
  value: { action: 'run_intent' satisfies ChatAction, intent },
});

/**
 * The help card: the words that work, with what each does. `more` counts what is left out (other roles' words):
 * a 更多 button then shows everything.
 */
export function helpCard(routes: HelpRoute[], preface?: string, more = 0) {
  const lines = routes.map((route) => `- **${route.words[0]}**:${route.description}`);
  return card('执法通 · 我能做什么', 'blue', [
    // The preface may quote what the person typed: shown as text.
    ...(preface ? [markdown(escapeMarkdown(preface)), divider()] : []),
    markdown(`直接发送下面的词即可:\n${lines.join('\n')}`),
    {
      tag: 'button',
      text: { tag: 'plain_text', content: '查看我的证件' },
      type: 'primary',
      behaviors: [runIntent('myCertificate')],
    },
    ...(more
      ? [
          {
            tag: 'button',
            text: { tag: 'plain_text', content: `更多(其他岗位的 ${more} 项)` },
            type: 'default',
            behaviors: [{ type: 'callback', value: { action: 'help_more' satisfies ChatAction } }],
          },
        ]
      : []),
    note('执法通服务于行政执法人员、单位法制员、负责人和分管领导。'),
  ]);
}

/** Not sure what was meant: the two or three likeliest, each a button that does it (the click is the go-ahead). */
export function offerCard(text: string, offers: HelpRoute[]) {
  return card('您是想……?', 'blue', [
    markdown(`没有完全听懂「${escapeMarkdown(text.slice(0, 40))}」。您是想:`),
    ...offers.map((offer) => ({
      tag: 'button',
      text: { tag: 'plain_text', content: `${offer.words[0]}:${offer.description}`.slice(0, 40) },
      type: 'default',
      width: 'fill',
      behaviors: [runIntent(offer.intent)],
    })),
    note('都不是?发送「帮助」查看能做什么。'),
  ]);
}
