/**
 * What the preload script exposes: `window.atomscope` is exactly the API table, grouped by
 * the part before the dot (`atomscope.files.open(input)`), each function resolving to an
 * Envelope; `window.atomscopeShell` holds the two things that are not API calls.
 */
import type { InputOf, OutputOf } from './api.js';
import type { Envelope } from './errors.js';
import type { MethodName } from './methods.js';
import type { AppEvent } from './types.js';

type Group<M extends string> = M extends `${infer G}.${string}` ? G : never;
type Leaf<M extends string, G extends string> = M extends `${G}.${infer L}` ? L : never;

export type AtomscopeBridge = {
  [G in Group<MethodName>]: {
    [L in Leaf<MethodName, G>]: (
      input: InputOf<`${G}.${L}` & MethodName>,
    ) => Promise<Envelope<OutputOf<`${G}.${L}` & MethodName>>>;
  };
};

export interface AtomscopeShell {
  onEvent(listener: (e: AppEvent) => void): () => void;
  /** The file-system path of a dropped File (Electron's webUtils.getPathForFile). */
  pathForFile(file: unknown): string;
}

/** Builds the nested bridge object from the flat method list and one invoke function. */
export function buildBridge(
  names: readonly MethodName[],
  invoke: (method: MethodName, input: unknown) => Promise<unknown>,
): Record<string, Record<string, (input: unknown) => Promise<unknown>>> {
  const bridge: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const name of names) {
    const [group, leaf] = name.split('.') as [string, string];
    (bridge[group] ??= {})[leaf] = (input: unknown) => invoke(name, input);
  }
  return bridge;
}
