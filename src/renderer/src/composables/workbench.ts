/** The store reaches components through provide/inject (no module-level singletons). */
import { inject, type InjectionKey } from 'vue';
import type { Workbench } from '../state/workbench';
import type { TestHookControl } from '../testing/test-hook';

export const WORKBENCH: InjectionKey<Workbench> = Symbol('atomscope.workbench');

export function useWorkbench(): Workbench {
  const wb = inject(WORKBENCH);
  if (!wb) throw new Error('useWorkbench() outside the app (no Workbench provided)');
  return wb;
}

/** Test hook control (null outside the app's main.ts set-up, e.g. in component tests). */
export const TEST_HOOK: InjectionKey<TestHookControl | null> = Symbol('atomscope.testHook');
