import type { Card } from '../../platform/feishu/client';
import { escapeMarkdown } from './escape';

// Small builders for Feishu card JSON 2.0, so every card has the same shape and the handlers read as content.

export type Template =
  | 'blue'
  | 'wathet'
  | 'turquoise'
  | 'green'
  | 'yellow'
  | 'orange'
  | 'red'
  | 'carmine'
  | 'violet'
  | 'purple'
  | 'indigo'
  | 'grey';

export type Element = Record<string, unknown>;

export function card(title: string, template: Template, elements: Element[], subtitle?: string): Card {
  return {
    schema: '2.0',
    config: { update_multi: true, locales: ['zh_cn', 'en_us'] },
    header: {
      title: { tag: 'plain_text', content: title },
      ...(subtitle ? { subtitle: { tag: 'plain_text', content: subtitle } } : {}),
      template,
    },
    body: { elements },
  };
}

export function markdown(content: string): Element {
  return { tag: 'markdown', content };
}

export function divider(): Element {
  return { tag: 'hr' };
}

/**
 * Label/value pairs laid out two per row, the way Feishu shows record details. Values are data (names, units,
 * file names, what a person filled in) and are shown as text; labels are ours.
 */
export function fields(pairs: Array<[label: string, value: string]>): Element {
  return {
    tag: 'column_set',
    flex_mode: 'bisect',
    columns: [0, 1].map((column) => ({
      tag: 'column',
      width: 'weighted',
      weight: 1,
      elements: pairs
        .filter((_, i) => i % 2 === column)
        .map(([label, value]) => markdown(`**${label}**\n${escapeMarkdown(value)}`)),
    })),
  };
}

export function note(content: string): Element {
  return { tag: 'markdown', content, text_size: 'notation' };
}
