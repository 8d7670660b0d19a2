/**
 * The one place a call from outside becomes a handler call: method name checked against
 * the table, input parsed by its schema, every failure turned into a typed ApiError value.
 * Used by Electron main and by `atomscope serve`, so both behave identically.
 */
import { api, type ApiHandlers } from './api.js';
import { ApiError, type Envelope } from './errors.js';
import { METHOD_NAMES, type MethodName } from './methods.js';

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && (METHOD_NAMES as readonly string[]).includes(name);
}

export async function dispatch(handlers: ApiHandlers, method: unknown, input: unknown): Promise<Envelope<unknown>> {
  try {
    if (!isMethodName(method)) {
      throw new ApiError('unknown-method', `unknown API method ${JSON.stringify(method)}`);
    }
    const parsed = api[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
      throw new ApiError('invalid-input', `${method}: invalid input: ${issues.join('; ')}`, { issues });
    }
    const handler = handlers[method] as (i: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (e) {
    return { ok: false, error: toApiError(e).toData() };
  }
}

/** Any thrown value as an ApiError (unknown errors become 'internal' with their message). */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e && typeof e.code === 'string') {
    const known = ['parse-error', 'cancelled', 'job-failed', 'worker-exited', 'host-crashed', 'not-found'];
    if (known.includes(e.code)) {
      return new ApiError(e.code as ApiError['code'], String(e.message), 'details' in e ? e.details : undefined);
    }
  }
  return new ApiError('internal', e instanceof Error ? e.message : String(e));
}
