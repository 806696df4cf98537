import { transform } from 'esbuild';
import { SourceMapConsumer, type RawSourceMap } from 'source-map';
import { describe, expect, it } from 'vitest';
import { lineMappings } from '../../scripts/source-map-lines.mjs';

// The workflow bundle's map (scripts/build.mjs) keeps one segment a line: a stack frame anywhere on a generated line
// must still name the TypeScript line it came from.
const SOURCE = [
  'export function approve(caseId: string, by: string): string {',
  '  const note: string = `${by} 同意 ${caseId}`;',
  '  if (!caseId) throw new Error("没有案件编号");',
  '  return note.trim();',
  '}',
  'export const reject = (caseId: string) => { throw new Error(`驳回 ${caseId}`); };',
].join('\n');

describe('line-only source map of the workflow bundle', () => {
  it('maps every column of a generated line to the source line the full map gives for it', async () => {
    const { code, map } = await transform(SOURCE, { loader: 'ts', sourcemap: 'external', sourcefile: 'case.ts' });
    const full = JSON.parse(map) as RawSourceMap;
    const slim = { ...full, mappings: lineMappings(full.mappings), names: [] };
    expect(slim.mappings.length).toBeLessThan(full.mappings.length / 3);
    const [fullMap, slimMap] = await Promise.all([new SourceMapConsumer(full), new SourceMapConsumer(slim)]);
    const lines = code.split('\n');
    let checked = 0;
    for (let line = 1; line <= lines.length; line++) {
      for (let column = 0; column < lines[line - 1]!.length; column++) {
        const want = fullMap.originalPositionFor({ line, column });
        if (!want.source) continue;
        expect(slimMap.originalPositionFor({ line, column }), `generated ${line}:${column}`).toMatchObject({
          source: want.source,
          line: want.line,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
