import { normalizeCell } from './cells';

// How many rows a spreadsheet's header takes and what each column is called. Real exports lay the header over
// two or three rows: cells merged down (姓名), groups merged across (执法证件信息) with sub-headers beneath, and
// sub-groups under those (有效期 over 起 / 止). An xlsx says so through its merges; a CSV has none, so there the
// layout is guessed from blanks, and only when nothing in the row below could be data. Pure: no I/O.

/** A merged block of cells, 0-based and inclusive, as Excel records it (A1:A2 → rows 0–1, column 0). */
export interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface Header {
  /** One name per column. */
  names: string[];
  /** How many grid rows the header takes: data starts this many rows below its first row. */
  depth: number;
}

/** Deeper headers than this are rare enough that a fourth row is more likely data than a header. */
const MAX_DEPTH = 3;

/** 'B1:C2' → 0-based rows and columns; undefined for anything else. */
export function decodeRange(range: string): Merge | undefined {
  const match = /^\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)$/i.exec(range.trim());
  if (!match) return undefined;
  const column = (letters: string) =>
    [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const [a, b] = [Number(match[2]) - 1, Number(match[4]) - 1];
  const [l, r] = [column(match[1]!), column(match[3]!)];
  return { top: Math.min(a, b), left: Math.min(l, r), bottom: Math.max(a, b), right: Math.max(l, r) };
}

const text = (row: string[] | undefined, c: number) => (row?.[c] ?? '').trim();
const within = (list: Merge[], c: number) => list.some((m) => m.left <= c && c <= m.right);

/**
 * The header of an xlsx sheet starting at grid row `h`, driven by its merges. The row below the header's last
 * row r belongs to the header only when some merge leads into it (a cell merged down past r, or a group merged
 * across that ends at r) and every filled cell in it sits under one of those: a one-row header whose 备注 spans
 * two columns keeps its first data row, and a merge among the data rows says nothing about the header.
 */
export function mergedHeader(grid: string[][], merges: Merge[], h: number): Header {
  const top = grid[h] ?? [];
  // A title merged across above the header is not part of it.
  const inside = merges.filter((m) => m.top >= h);
  let depth = 1;
  while (depth < MAX_DEPTH && continuesBelow(grid, inside, h + depth - 1)) depth++;
  if (depth === 1) return { names: top.map((cell) => cell.trim()), depth };
  const isGroup = (r: number, c: number) =>
    inside.some((m) => m.right > m.left && m.top <= r && r <= m.bottom && m.left <= c && c <= m.right);
  return { names: columnNames(grid.slice(h, h + depth), (r, c) => isGroup(h + r, c)), depth };
}

/** Whether grid row r + 1 continues a header whose last row so far is r. */
function continuesBelow(grid: string[][], merges: Merge[], r: number): boolean {
  const below = grid[r + 1];
  if (!below) return false;
  const down = merges.filter((m) => m.top <= r && m.bottom > r);
  const groups = merges.filter((m) => m.bottom === r && m.right > m.left);
  if (!down.length && !groups.length) return false;
  const width = Math.max(grid[r]?.length ?? 0, below.length);
  for (let c = 0; c < width; c++) {
    if (text(below, c) && !within(down, c) && !within(groups, c)) return false;
  }
  return true;
}

/**
 * The header of a CSV starting at grid row `h`. With no merges, a group arrives as a filled cell followed by
 * blanks. The next row is its sub-header row only when (a) such a group exists, (b) that row is filled under
 * every column of every group and blank under every other header cell, and (c) none of its cells looks like a
 * number or a date. Anything else is a one-row header: a 备注 column left blank in the data, or a first data
 * row with a blank cell, keeps its place as data.
 */
export function csvHeader(grid: string[][], h: number): Header {
  const top = grid[h] ?? [];
  const one: Header = { names: top.map((cell) => cell.trim()), depth: 1 };
  const below = grid[h + 1];
  if (!below) return one;
  // Trailing empty fields (a padded export) are not columns a group could span.
  const lastFilled = (row: string[]) => row.reduce((last, _, c) => (text(row, c) ? c : last), -1);
  const width = Math.max(lastFilled(top), lastFilled(below)) + 1;
  const groups: Merge[] = [];
  for (let c = 0; c < width; c++) {
    if (!text(top, c)) continue;
    let right = c;
    while (right + 1 < width && !text(top, right + 1)) right++;
    if (right > c) groups.push({ top: h, bottom: h, left: c, right });
  }
  if (!groups.length) return one;
  for (let c = 0; c < width; c++) {
    const sub = text(below, c);
    if (Boolean(sub) !== within(groups, c) || (sub && looksLikeData(sub))) return one;
  }
  // Spread each group's name over its columns, as Excel shows a merged cell, so both kinds are named alike.
  const upper = Array.from({ length: width }, (_, c) => {
    const group = groups.find((g) => g.left <= c && c <= g.right);
    return group ? text(top, group.left) : text(top, c);
  });
  const names = columnNames([upper, below.slice(0, width)], (r, c) => r === 0 && within(groups, c));
  // Columns past the last filled one (padding) keep their place, named blank as a one-row header would name them.
  return { names: [...names, ...top.slice(width).map((cell) => cell.trim())], depth: 2 };
}

/**
 * Names each column from its cells top to bottom (a merged cell repeats its text in every cell it covers):
 * the lowest text is the column's own name; the groups above it are kept as a prefix only where the name says
 * little alone (起 / 止 under 有效期) or repeats under two groups, nearest group first, so that 执法证件信息 /
 * 有效期 / 起 becomes 有效期起 and not a sentence.
 */
function columnNames(rows: string[][], isGroup: (r: number, c: number) => boolean): string[] {
  const width = Math.max(...rows.map((row) => row.length));
  const columns = Array.from({ length: width }, (_, c) => {
    const chain: Array<{ name: string; group: boolean }> = [];
    rows.forEach((row, r) => {
      const name = text(row, c);
      if (name && chain.at(-1)?.name !== name) chain.push({ name, group: isGroup(r, c) });
    });
    const leaf = chain.pop()?.name ?? '';
    return {
      leaf,
      groups: chain
        .filter((g) => g.group)
        .map((g) => g.name)
        .reverse(),
    };
  });
  let names = columns.map((column) => column.leaf);
  for (let level = 0; level < rows.length - 1; level++) {
    const count = new Map<string, number>();
    for (const name of names) count.set(name, (count.get(name) ?? 0) + 1);
    names = names.map((name, c) => {
      const group = columns[c]!.groups[level];
      return group && name && ([...name].length === 1 || count.get(name)! > 1) ? `${group}${name}` : name;
    });
  }
  return names;
}

/** A number or a date: what a data row holds and a sub-header never does. */
export function looksLikeData(cell: string): boolean {
  const value = normalizeCell(cell).replace(/,/g, '');
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)%?$/.test(value)) return true;
  if (/^\d{4}\s*[-/.年]\s*\d{1,2}(\s*[-/.月]\s*\d{1,2}\s*日?)?(\s|T|$)/.test(value)) return true;
  return /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/.test(value);
}
