import proto from '@temporalio/proto'; // CommonJS: named exports are not visible to ESM

// LawDesk's search attributes (case type, unit, status) must exist in the namespace before a case starts. Adding
// them needs admin rights on the cluster, which a production worker should not hold: with
// TEMPORAL_REGISTER_SEARCH_ATTRIBUTES=0 the processes only check, and `npm run cli -- temporal setup` adds them once.
// Temporal Cloud adds them in its console or with tcld, not through this API.
//
// The workflows set them through the keys in src/processes/casework/contract.ts (CASE_TYPE, CASE_UNIT, CASE_STATUS),
// which name these same three.
export const SEARCH_ATTRIBUTES = {
  LawDeskCaseType: 'Keyword',
  LawDeskUnit: 'Keyword',
  LawDeskStatus: 'Keyword',
} as const;

/** The two OperatorService calls used here (a Connection's `operatorService`, or a stub in tests). */
export interface SearchAttributeService {
  listSearchAttributes(request: { namespace: string }): Promise<{ customAttributes?: Record<string, unknown> | null }>;
  addSearchAttributes(request: { namespace: string; searchAttributes: Record<string, number> }): Promise<unknown>;
}

export const SEARCH_ATTRIBUTE_NAMES = Object.keys(SEARCH_ATTRIBUTES);

const KEYWORD = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
// gRPC status codes: the caller may not do this / the server has no such call (Temporal Cloud's operator API).
const PERMISSION_DENIED = 7;
const UNIMPLEMENTED = 12;

export class SearchAttributesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchAttributesError';
  }
}

export async function missingSearchAttributes(service: SearchAttributeService, namespace: string): Promise<string[]> {
  const { customAttributes } = await service.listSearchAttributes({ namespace });
  return SEARCH_ATTRIBUTE_NAMES.filter((name) => !customAttributes?.[name]);
}

/** Adds whichever are missing; what `temporal setup` prints. */
export async function registerSearchAttributes(
  service: SearchAttributeService,
  namespace: string,
): Promise<{ added: string[]; present: string[] }> {
  let missing: string[] = SEARCH_ATTRIBUTE_NAMES;
  try {
    missing = await missingSearchAttributes(service, namespace);
    if (missing.length) {
      await service.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
      });
    }
  } catch (error) {
    throw refusedError(error, namespace, missing) ?? error;
  }
  return { added: missing, present: SEARCH_ATTRIBUTE_NAMES.filter((name) => !missing.includes(name)) };
}

/**
 * At every start. Registering (the default): adds what is missing. Not registering: stops with a sentence naming the
 * missing attributes and the command that adds them; when the caller may not even list them, says so and goes on
 * (`log`), because a Cloud API key scoped to one namespace may be refused the listing while the attributes exist.
 */
export async function ensureSearchAttributes(
  service: SearchAttributeService,
  namespace: string,
  opts: { register: boolean; log?: (line: string) => void },
): Promise<void> {
  if (opts.register) {
    await registerSearchAttributes(service, namespace);
    return;
  }
  let missing: string[];
  try {
    missing = await missingSearchAttributes(service, namespace);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    opts.log?.(
      `Temporal: 无权列出命名空间 ${namespace} 的搜索属性,假定已由管理员添加(${SEARCH_ATTRIBUTE_NAMES.join('、')})`,
    );
    return;
  }
  if (missing.length) throw new SearchAttributesError(missingSentence(namespace, missing));
}

export function missingSentence(namespace: string, missing: string[]): string {
  return (
    `Temporal 命名空间 ${namespace} 缺少执法通的搜索属性: ${missing.map((name) => `${name}(Keyword)`).join('、')}。` +
    '请用有管理权限的凭据运行一次 npm run cli -- temporal setup(自建集群也可用 temporal operator search-attribute create ' +
    `--namespace ${namespace} --name <名称> --type Keyword;Temporal Cloud 在控制台或用 tcld namespace search-attributes add 添加)。` +
    ` (missing search attributes: ${missing.join(', ')})`
  );
}

function refusedError(error: unknown, namespace: string, missing: string[]): SearchAttributesError | undefined {
  if (!isRefusal(error)) return undefined;
  return new SearchAttributesError(
    `无权在命名空间 ${namespace} 添加搜索属性(${(error as Error).message})。` +
      '请改用有管理权限的凭据运行 npm run cli -- temporal setup,并在各进程设置 TEMPORAL_REGISTER_SEARCH_ATTRIBUTES=0。\n' +
      missingSentence(namespace, missing),
  );
}

function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === PERMISSION_DENIED || code === UNIMPLEMENTED;
}
