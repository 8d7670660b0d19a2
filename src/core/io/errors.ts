/**
 * A ParseError says where reading failed: the file, the format, and the line, frame or byte
 * offset. Its message is complete on its own so a CLI or UI can show it verbatim.
 */
export interface ParseLocation {
  line?: number;
  frame?: number;
  offset?: number;
}

export class ParseError extends Error {
  override readonly name = 'ParseError';
  readonly file: string;
  readonly format: string;
  readonly location: ParseLocation;
  readonly reason: string;

  constructor(file: string, format: string, reason: string, location: ParseLocation = {}) {
    super(`${file}: ${format}${describeLocation(location)}: ${reason}`);
    this.file = file;
    this.format = format;
    this.location = location;
    this.reason = reason;
  }
}

function describeLocation(loc: ParseLocation): string {
  const parts: string[] = [];
  if (loc.frame !== undefined) parts.push(`frame ${loc.frame}`);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.offset !== undefined) parts.push(`byte ${loc.offset}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function isParseError(e: unknown): e is ParseError {
  return e instanceof ParseError;
}
