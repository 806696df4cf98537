// Text a person typed or imported (names, titles, course names, comments, file cells) is shown in card markdown
// as the characters it is, never as markup: Feishu's card markdown turns `[text](url)` into a live link,
// `<at id=all></at>` into @所有人, and `**`, `#`, `>`, `-` into formatting. Each such character becomes its
// full-width lookalike, which reads the same to a person, renders the same in the sandbox's markdown, and is
// markup to nothing. (Feishu's backslash and HTML-entity escapes are not used: the entity form is decoded by
// Feishu, so a typed `&lt;at&gt;` must not become a tag either, and neither form reads well elsewhere.)

const INLINE: Record<string, string> = {
  '[': '［',
  ']': '］',
  '<': '＜',
  '>': '＞',
  '*': '＊',
  _: '＿',
  '~': '～',
  '`': '｀',
  '\\': '＼',
  '&': '＆',
  '|': '｜',
  $: '＄',
};
const INLINE_CHARS = /[[\]<>*_~`\\&|$]/g;
/** A line that starts with these is a heading, a list, a rule or a setext underline ("9.5 学时" is none). */
const LINE_START = /^(\s*)(#|-|\+|=|\d+\.(?=\s|$))/gm;
const LINE_START_LOOKALIKE: Record<string, string> = { '#': '＃', '-': '－', '+': '＋', '=': '＝' };

/** `text` as inert card markdown: it displays the same and is never a link, a mention, a tag or formatting. */
export function escapeMarkdown(text: string | number | null | undefined): string {
  return (
    String(text ?? '')
      .replace(/\r\n?/g, '\n')
      .replace(INLINE_CHARS, (c) => INLINE[c]!)
      // A bare address is not a link either (Feishu links some bare URLs): the scheme's colon goes full-width.
      .replace(/:\/\//g, '：//')
      .replace(
        LINE_START,
        (_, space: string, marker: string) => space + (LINE_START_LOOKALIKE[marker] ?? marker.replace('.', '．')),
      )
  );
}

/** The same, on one line: a name or a title never starts a new line (and so never a new block) in a list. */
export function escapeMarkdownLine(text: string | number | null | undefined): string {
  return escapeMarkdown(String(text ?? '').replace(/\s*[\r\n]+\s*/g, ' '));
}
