// A strict reader for the YAML the deployment kit is written in (deploy/compose, deploy/k8s), because no YAML parser
// is installed: block mappings and sequences, plain and quoted scalars, flat flow sequences (`["node", "x"]`), `{}`
// and `[]`, literal and folded block scalars, comments and `---` between documents. Anything else (tabs, anchors,
// merge keys, flow mappings, a plain value holding `: `, a repeated key, an indentation that fits nothing) is an
// error naming the file's line, so the kit stays in what this reads and what any YAML parser reads the same way.
// Scalars stay strings (`"2"` and `2` alike): the checks compare names and paths, not numbers.

export type YamlValue = string | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  indent: number;
  text: string;
  number: number;
}

export class YamlError extends Error {}

export function parseYamlDocuments(source: string): YamlValue[] {
  const documents: string[][] = [[]];
  for (const raw of source.split('\n')) {
    if (/^---\s*$/.test(raw)) documents.push([]);
    else documents[documents.length - 1]!.push(raw);
  }
  let offset = 0;
  const parsed: YamlValue[] = [];
  for (const lines of documents) {
    const reader = new Reader(lines, offset);
    offset += lines.length + 1;
    const value = reader.document();
    if (value !== null) parsed.push(value);
  }
  return parsed;
}

class Reader {
  private index = 0;
  constructor(
    private readonly raw: string[],
    private readonly firstLine: number,
  ) {}

  document(): YamlValue {
    const first = this.peek();
    if (!first) return null;
    if (first.indent !== 0) this.fail(first, 'a document starts at column 0');
    const value = this.block(0);
    const rest = this.peek();
    if (rest) this.fail(rest, 'unexpected indentation');
    return value;
  }

  /** The next line that carries structure (blank lines and whole-line comments are skipped). */
  private peek(): Line | undefined {
    while (this.index < this.raw.length) {
      const text = this.raw[this.index]!;
      const number = this.firstLine + this.index + 1;
      if (/^\s*(#.*)?$/.test(text)) {
        this.index++;
        continue;
      }
      const indent = text.length - text.trimStart().length;
      if (text.slice(0, indent).includes('\t')) throw new YamlError(`line ${number}: a tab in the indentation`);
      return { indent, text: text.trim(), number };
    }
    return undefined;
  }

  private fail(line: Line, why: string): never {
    throw new YamlError(`line ${line.number}: ${why}: ${line.text}`);
  }

  private block(indent: number): YamlValue {
    const line = this.peek()!;
    return isSequenceItem(line.text) ? this.sequence(indent) : this.mapping(indent, line);
  }

  private mapping(indent: number, first: Line): { [key: string]: YamlValue } {
    const map: { [key: string]: YamlValue } = {};
    for (
      let line: Line | undefined = first;
      line && line.indent === indent && !isSequenceItem(line.text);
      line = this.peek()
    ) {
      const split = splitKey(line.text);
      if (!split) this.fail(line, 'expected `key: value`');
      const [key, rest] = split;
      if (key in map) this.fail(line, `key ${key} repeated`);
      this.index++;
      map[key] = this.value(rest, indent, line);
    }
    const next = this.peek();
    if (next && next.indent > indent) this.fail(next, 'unexpected indentation');
    return map;
  }

  private sequence(indent: number): YamlValue[] {
    const items: YamlValue[] = [];
    for (let line = this.peek(); line && line.indent === indent && isSequenceItem(line.text); line = this.peek()) {
      const content = line.text === '-' ? '' : line.text.slice(2);
      const inner = content.length - content.trimStart().length;
      if (content && splitKey(content.trimStart())) {
        // `- key: value`: a mapping whose keys sit where `key` starts; read it as if on lines of its own.
        this.raw[this.index] = ' '.repeat(indent + 2 + inner) + content.trimStart();
        items.push(this.mapping(indent + 2 + inner, this.peek()!));
      } else {
        this.index++;
        items.push(this.value(content.trim(), indent, line));
      }
    }
    return items;
  }

  /** What follows `key:` or `- `: inline, a block scalar, or a nested block on the next lines. */
  private value(rest: string, indent: number, line: Line): YamlValue {
    if (/^[|>][-+]?$/.test(rest)) return this.blockScalar(indent, rest[0] === '>');
    if (rest) return scalar(rest, (why) => this.fail(line, why));
    const next = this.peek();
    if (next && next.indent > indent) return this.block(next.indent);
    if (next && next.indent === indent && isSequenceItem(next.text) && !isSequenceItem(line.text))
      return this.sequence(indent);
    return null;
  }

  private blockScalar(parentIndent: number, folded: boolean): string {
    const lines: string[] = [];
    let contentIndent: number | undefined;
    while (this.index < this.raw.length) {
      const text = this.raw[this.index]!;
      const indent = text.length - text.trimStart().length;
      if (text.trim() && indent <= parentIndent) break;
      if (text.trim()) contentIndent ??= indent;
      lines.push(text.trim() ? text.slice(contentIndent) : '');
      this.index++;
    }
    while (lines.length && !lines[lines.length - 1]) lines.pop();
    return lines.join(folded ? ' ' : '\n') + '\n';
  }
}

function isSequenceItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** `key: rest` or `key:`; the key plain or quoted. */
function splitKey(text: string): [string, string] | undefined {
  const quoted = /^("(?:[^"\\]|\\.)*"|'[^']*')\s*:(?:\s+(.*)|$)/.exec(text);
  if (quoted) return [quoted[1]!.slice(1, -1), stripComment(quoted[2] ?? '')];
  const plain = /^([^\s"'#\-[\]{}&*!|>%@`][^:#]*?|-[^\s:][^:#]*?)\s*:(?:\s+(.*)|$)/.exec(text);
  if (!plain) return undefined;
  return [plain[1]!, stripComment(plain[2] ?? '')];
}

function stripComment(rest: string): string {
  if (/^["'[]/.test(rest)) return rest.trim(); // quoted and flow values strip their own comments in scalar()
  const at = rest.search(/\s#/);
  return (at < 0 ? rest : rest.slice(0, at)).trim();
}

function scalar(text: string, fail: (why: string) => never): YamlValue {
  if (/^[&*]|^<<|^!/.test(text)) fail('anchors, aliases, merge keys and tags are not used in the kit');
  if (text === '{}') return {};
  if (text.startsWith('{')) fail('flow mappings are not used in the kit');
  if (text.startsWith('[')) return flowSequence(text, fail);
  if (text.startsWith('"') || text.startsWith("'")) {
    const [value, after] = quoted(text, fail);
    if (after.trim() && !after.trim().startsWith('#')) fail('text after a quoted value');
    return value;
  }
  if (/:\s/.test(text) || text.endsWith(':')) fail('a plain value holding `: ` (quote it)');
  if (text === '~' || text === 'null') return null;
  return text;
}

function quoted(text: string, fail: (why: string) => never): [string, string] {
  if (text[0] === "'") {
    const end = /^'((?:[^']|'')*)'/.exec(text);
    if (!end) fail('an unterminated quoted value');
    return [end[1]!.replace(/''/g, "'"), text.slice(end[0].length)];
  }
  const end = /^"((?:[^"\\]|\\.)*)"/.exec(text);
  if (!end) fail('an unterminated quoted value');
  const escapes: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\', '/': '/' };
  const value = end[1]!.replace(
    /\\(.)/g,
    (_, c: string) => escapes[c] ?? fail(`an escape \\${c} the kit does not use`),
  );
  return [value, text.slice(end[0].length)];
}

function flowSequence(text: string, fail: (why: string) => never): YamlValue[] {
  const items: YamlValue[] = [];
  let rest = text.slice(1).trimStart();
  if (rest.startsWith(']')) return [];
  for (;;) {
    let item: string;
    if (rest.startsWith('"') || rest.startsWith("'")) [item, rest] = quoted(rest, fail);
    else {
      const plain = /^[^,\]"'[{]+/.exec(rest);
      if (!plain) fail('a flow sequence holds only flat scalars');
      item = plain[0].trim();
      rest = rest.slice(plain[0].length);
    }
    items.push(item);
    rest = rest.trimStart();
    if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
    else if (rest.startsWith(']')) {
      const after = rest.slice(1).trim();
      if (after && !after.startsWith('#')) fail('text after a flow sequence');
      return items;
    } else fail('an unterminated flow sequence');
  }
}
