// What can go wrong talking to Feishu, as two kinds kept apart (client.ts says why), and what a card is.

export class FeishuApiError extends Error {
  constructor(
    readonly code: number,
    readonly feishuMsg: string,
    readonly httpStatus: number | undefined,
    readonly logId: string | undefined,
    readonly retryAfterSeconds?: number,
  ) {
    super(`Feishu API error ${code}: ${feishuMsg}${logId ? ` (log_id ${logId})` : ''}`);
    this.name = 'FeishuApiError';
  }
  /** Worth trying again later: rate limits, Feishu's own 5xx, an expired token the SDK will refresh. */
  get retryable(): boolean {
    return this.httpStatus === 429 || (this.httpStatus ?? 0) >= 500 || this.code === 99991663 || this.code === 99991400;
  }
}

export class FeishuNetworkError extends Error {
  constructor(cause: unknown) {
    super(`Feishu unreachable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'FeishuNetworkError';
  }
}

export type Card = Record<string, unknown>;
