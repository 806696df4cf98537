import { AsyncLocalStorage } from 'node:async_hooks';
import { Context as ActivityContext } from '@temporalio/activity';

// Operators' log lines (issue 18): `LOG_FORMAT=json` writes one JSON object a line — time, level, msg, and event_id /
// workflow_id when the line is written while an event or an activity is being worked — for a log shipper; `text`
// (the default, for a person at a terminal and the sandbox) writes the line as before. Both redact: configured
// secrets, bearer and Feishu tenant/app tokens, `token=`/`secret=`-style pairs, mobile numbers (11 digits), and any
// field of the Temporal SDK's metadata named like a token (its taskToken).

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'text';
export type LogFields = Record<string, unknown>;

export interface Logger {
  /** The context's `log: (line) => void`: level judged from the words (失败/出错/error: error; 注意/warn: warn). */
  (line: string): void;
  write(level: LogLevel, msg: string, fields?: LogFields): void;
}

const fieldsInScope = new AsyncLocalStorage<LogFields>();

/** Runs `work` with `fields` (e.g. { event_id }) added to every line written inside it, awaited work included. */
export function withLogFields<T>(fields: LogFields, work: () => T): T {
  return fieldsInScope.run({ ...fieldsInScope.getStore(), ...fields }, work);
}

export function createLogger(opts: {
  format?: LogFormat;
  /** Exact strings never to print (the app secret, API keys, the encrypt key). */
  secrets?: Array<string | undefined>;
  out?: (text: string) => void;
  now?: () => Date;
}): Logger {
  const format = opts.format ?? 'text';
  const secrets = (opts.secrets ?? []).filter((s): s is string => !!s && s.length >= 6);
  const out = opts.out ?? ((text: string) => process.stdout.write(`${text}\n`));
  const now = opts.now ?? (() => new Date());
  const write = (level: LogLevel, msg: string, fields: LogFields = {}) => {
    const text = redact(msg, secrets);
    if (format === 'text')
      return out(Object.keys(fields).length ? `${text} ${JSON.stringify(redactFields(fields, secrets))}` : text);
    const context = { ...activityFields(), ...fieldsInScope.getStore() };
    const extra = redactFields({ ...context, ...fields }, secrets);
    out(JSON.stringify({ time: now().toISOString(), level, msg: text, ...extra }));
  };
  const logger = ((line: string) => write(levelOf(line), line)) as Logger;
  logger.write = write;
  return logger;
}

function levelOf(line: string): LogLevel {
  if (/失败|出错|错误|\berror\b|exception/i.test(line)) return 'error';
  if (/注意|警告|\bwarn/i.test(line)) return 'warn';
  return 'info';
}

/** The workflow an activity works for, when the line is written from one. */
function activityFields(): LogFields {
  try {
    const info = ActivityContext.current().info;
    return { workflow_id: info.workflowExecution?.workflowId, activity: info.activityType };
  } catch {
    return {};
  }
}

const PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  // Feishu's tenant, app and user access tokens.
  [/\b([tau])-[A-Za-z0-9._-]{16,}/g, '$1-[redacted]'],
  [
    /\b((?:(?:[A-Za-z]+_)*(?:token|secret|password|apikey)|(?:[A-Za-z]+_)+key)["']?\s*[:=]\s*["']?)[^\s"',&}]+/gi,
    '$1[redacted]',
  ],
  // Mainland mobile numbers: kept recognisable to an operator by their first three and last four digits.
  [/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2'],
];

export function redact(text: string, secrets: string[] = []): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join('[redacted]');
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

const SECRET_KEY = /token|secret|password|authorization|api_?key/i;

function redactFields(fields: LogFields, secrets: string[]): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (SECRET_KEY.test(key)) out[key] = '[redacted]';
    else if (typeof value === 'string') out[key] = redact(value, secrets);
    else if (value instanceof Error) out[key] = redact(value.stack ?? value.message, secrets);
    else if (value && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value))
      out[key] = redactFields(value as LogFields, secrets);
    else if (ArrayBuffer.isView(value)) out[key] = '[bytes]';
    else out[key] = typeof value === 'bigint' ? String(value) : value;
  }
  return out;
}

/** The Temporal SDK's log entries (level, message, metadata) written through `logger`, its workflow ids named as ours. */
export function sdkLogSink(logger: Logger) {
  return (entry: { level: string; message: string; meta?: Record<string, unknown> }) => {
    const level = entry.level.toLowerCase();
    const meta = { ...entry.meta };
    if (typeof meta.workflowId === 'string') {
      meta.workflow_id = meta.workflowId;
      delete meta.workflowId;
    }
    logger.write(
      level === 'trace' || level === 'debug' ? 'debug' : (level as LogLevel),
      `temporal: ${entry.message}`,
      meta,
    );
  };
}
