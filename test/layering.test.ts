// The layering rule must fail an import that crosses a layer (a lint fixture per rule).
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'atomscope/layering').map((m) => m.message);
}

describe('layering lint rule', () => {
  it.each([
    ["import { app } from 'electron';", /electron/],
    ["import { ref } from 'vue';", /vue/],
    ["import { Engine } from '@babylonjs/core';", /@babylonjs/],
    ["import * as echarts from 'echarts';", /echarts/],
    ["import { readFileSync } from 'node:fs';", /Node built-ins/],
    ["import { x } from '../main/index.js';", /src\/main/],
    ["import { x } from '../renderer/src/main.js';", /src\/renderer/],
    ["import { x } from '../server/serve.js';", /src\/server/],
    ["import { x } from '../cli/index.js';", /src\/cli/],
  ])('core/ refuses %s', async (code, pattern) => {
    const errors = await layeringErrors('src/core/fixture.ts', code);
    expect(errors.join('\n')).toMatch(pattern);
  });

  it('core/ may import core/', async () => {
    expect(await layeringErrors('src/core/fixture.ts', "import { x } from './model/structure.js';")).toEqual([]);
  });

  it('the renderer may not touch the file system or electron', async () => {
    expect(await layeringErrors('src/renderer/src/fixture.ts', "import fs from 'node:fs';")).not.toEqual([]);
    expect(await layeringErrors('src/renderer/src/fixture.ts', "import { ipcRenderer } from 'electron';")).not.toEqual(
      [],
    );
    expect(await layeringErrors('src/renderer/src/fixture.ts', "import { x } from '../../node/open.js';")).not.toEqual(
      [],
    );
  });

  it('the preload sees only the shared contract', async () => {
    expect(await layeringErrors('src/preload/fixture.ts', "import { x } from '../backend/handlers.js';")).not.toEqual(
      [],
    );
  });

  it('core/ may not use DOM globals', async () => {
    const [result] = await eslint.lintText('export const w = window.innerWidth;\n', {
      filePath: 'src/core/fixture.ts',
    });
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-globals');
  });
});
