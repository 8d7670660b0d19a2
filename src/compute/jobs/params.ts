// Checks of job parameters. The backend validates user input against the API schemas; these
// catch a caller that sends the wrong shape, with a message that names the job and field.

function field(params: unknown, key: string, job: string): unknown {
  if (typeof params !== 'object' || params === null) throw new TypeError(`${job}: parameters must be an object`);
  return (params as Record<string, unknown>)[key];
}

export function stringParam(params: unknown, key: string, job: string): string {
  const v = field(params, key, job);
  if (typeof v !== 'string' || v === '') throw new TypeError(`${job}: "${key}" must be a non-empty string`);
  return v;
}

export function indexParam(params: unknown, key: string, job: string): number {
  const v = field(params, key, job);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new TypeError(`${job}: "${key}" must be a non-negative integer`);
  }
  return v;
}

export function numberParam(params: unknown, key: string, job: string, fallback?: number): number {
  const v = field(params, key, job);
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${job}: "${key}" must be a finite number`);
  return v;
}

export function optionalStringParam(params: unknown, key: string, job: string): string | undefined {
  const v = field(params, key, job);
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new TypeError(`${job}: "${key}" must be a non-empty string`);
  return v;
}

/** The raw field, for jobs that accept anything (echo). */
export function anyParam(params: unknown, key: string, job: string): unknown {
  return field(params, key, job);
}
