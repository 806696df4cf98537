import { ApplicationFailure } from '@temporalio/activity';
import { FeishuApiError } from '../../platform/feishu/client';

/**
 * Runs a Feishu call inside an activity and turns Feishu's refusals into what Temporal's retry should do:
 * a rate limit (429) waits until Feishu's `x-ogw-ratelimit-reset` before the next attempt; a refusal that
 * will not change (no permission, bad request) is not retried; anything else is retried with backoff.
 */
export async function feishuCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof FeishuApiError)) throw error;
    if (error.httpStatus === 429 || error.code === 99991400) {
      throw ApplicationFailure.create({
        message: error.message,
        type: 'FeishuRateLimited',
        nextRetryDelay: `${Math.max(error.retryAfterSeconds ?? 1, 1)}s`,
      });
    }
    if (!error.retryable) throw ApplicationFailure.nonRetryable(error.message, 'FeishuApiError');
    throw error;
  }
}
