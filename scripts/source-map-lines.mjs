// A source map that names lines, not columns: for each generated line, the source line its first mapped segment
// came from. The worker parses the workflow bundle's map on its workflow thread into WebAssembly memory that never
// shrinks (the `source-map` package); with one segment a line instead of one a token, workflow stack traces still
// name the TypeScript file and line, and the worker holds a few MB less (issue 16, README "Idle memory").

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** The numbers of one segment, e.g. "AAgBC" → [0, 0, 16, 1]. */
function decodeSegment(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const c of text) {
    const digit = DIGIT.get(c);
    if (digit === undefined) throw new Error(`source map: "${c}" is not base64 VLQ`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

function encodeNumber(n) {
  let rest = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}

/** `mappings` reduced to one segment a generated line, at column 0, without names. */
export function lineMappings(mappings) {
  let source = 0;
  let sourceLine = 0;
  const firstOfLine = mappings.split(';').map((line) => {
    let first;
    for (const segment of line ? line.split(',') : []) {
      const fields = decodeSegment(segment);
      if (fields.length < 4) continue;
      source += fields[1];
      sourceLine += fields[2];
      first ??= { source, sourceLine };
    }
    return first;
  });
  // Every kept segment is at generated and source column 0, so only the source and its line change.
  let previous = { source: 0, sourceLine: 0 };
  return firstOfLine
    .map((first) => {
      if (!first) return '';
      const segment = [0, first.source - previous.source, first.sourceLine - previous.sourceLine, 0];
      previous = first;
      return segment.map(encodeNumber).join('');
    })
    .join(';');
}
