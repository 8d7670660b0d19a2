/**
 * Turns whatever a job threw into the JobError sent to the backend: a ParseError keeps its
 * message (file, format, location) and structured location; a cancel becomes 'cancelled';
 * a file-system error is rephrased around the path the user gave.
 */
import { isParseError } from '../core/io/errors.js';
import type { JobError } from './protocol.js';

interface SystemError extends Error {
  code: string;
  path?: string;
  syscall?: string;
}

function isSystemError(e: unknown): e is SystemError {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string';
}

const SYSTEM_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EMFILE: 'too many open files',
};

export function toJobError(e: unknown, job: string): JobError {
  if (isParseError(e)) {
    return {
      code: 'parse-error',
      message: e.message,
      details: { file: e.file, format: e.format, location: { ...e.location } },
    };
  }
  if (e instanceof Error && e.name === 'AbortError') {
    return { code: 'cancelled', message: `'${job}' was cancelled` };
  }
  if (isSystemError(e) && typeof e.path === 'string') {
    const reason = SYSTEM_REASONS[e.code] ?? e.message;
    return {
      code: 'job-failed',
      message: `${e.path}: ${reason}`,
      details: { job, errno: e.code, path: e.path, syscall: e.syscall },
    };
  }
  if (e instanceof Error) {
    return { code: 'job-failed', message: e.message || e.name, details: { job, name: e.name, stack: e.stack } };
  }
  return { code: 'job-failed', message: `'${job}' failed: ${String(e)}`, details: { job } };
}
