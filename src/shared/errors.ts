import type { ApiErrorCode, ApiErrorData } from './types.js';

/** The error every API call rejects with, on every transport. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  toData(): ApiErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromData(d: ApiErrorData): ApiError {
    return new ApiError(d.code, d.message, d.details);
  }
}

/** Result envelope used by both transports. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData };
