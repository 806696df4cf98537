// The subset of Feishu card markdown the bot writes: **bold**, *italic*, ~~strike~~, `code`, [links](https://…),
// lists, headings, code blocks, <font color>, <text_tag color>, <at id>, and a line break for every "\n".
// Everything is escaped first; only the tags built here reach the page.

export function escapeHtml(text) {
  return String(text ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

const COLOR = /^[a-z_-]{1,24}$/i;
const SPECIAL =
  /<(font|text_tag)\s+color\s*=\s*['"]?([\w-]+)['"]?\s*>([\s\S]*?)<\/\1>|<at\s+(?:id|user_id|open_id|email)\s*=\s*['"]?([^'">\s]+)['"]?\s*>[^<]*<\/at>/g;

function basic(raw) {
  return escapeHtml(raw)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>')
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/~~(.+?)~~/g, '<del>$1</del>')
    .replace(/(^|[^*\w])\*(?!\s)([^*]+?)\*(?!\*)/g, '$1<em>$2</em>');
}

export function renderInline(raw) {
  let out = '';
  let last = 0;
  for (const m of String(raw ?? '').matchAll(SPECIAL)) {
    out += basic(raw.slice(last, m.index));
    if (m[1]) {
      const color = COLOR.test(m[2]) ? m[2] : 'default';
      out += `<span class="${m[1] === 'font' ? 'md-font' : 'md-tag'} c-${color}">${basic(m[3])}</span>`;
    } else {
      out += `<span class="md-at">@${m[4] === 'all' ? '所有人' : escapeHtml(m[4])}</span>`;
    }
    last = m.index + m[0].length;
  }
  return out + basic(String(raw ?? '').slice(last));
}

export function renderMarkdown(src) {
  const lines = String(src ?? '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  let html = '';
  let list = null; // 'ul' | 'ol' while inside a list
  let code = null; // lines of a fenced code block
  const closeList = () => {
    if (list) html += `</${list}>`;
    list = null;
  };
  for (const line of lines) {
    if (code) {
      if (/^\s*```/.test(line)) {
        html += `<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`;
        code = null;
      } else code.push(line);
      continue;
    }
    if (/^\s*```/.test(line)) {
      closeList();
      code = [];
      continue;
    }
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      if (list !== kind) {
        closeList();
        html += `<${kind}>`;
        list = kind;
      }
      html += `<li>${renderInline((bullet ?? numbered)[1])}</li>`;
      continue;
    }
    closeList();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) html += `<div class="md-h md-h${heading[1].length}">${renderInline(heading[2])}</div>`;
    else if (/^\s*(-{3,}|\*{3,})\s*$/.test(line)) html += '<hr>';
    else if (!line.trim()) html += '<div class="md-gap"></div>';
    else html += `<div class="md-line">${renderInline(line)}</div>`;
  }
  closeList();
  if (code) html += `<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`;
  return html;
}
