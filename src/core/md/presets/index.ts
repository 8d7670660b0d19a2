/** The simulation presets of the example gallery and of `atomscope simulate`, by id. */
import { adatomPreset } from './adatom.js';
import { argonPreset } from './argon.js';
import { mullerBrownPreset } from './muller-brown.js';
import type { Preset } from './types.js';

export const PRESETS: Readonly<Record<string, Preset>> = {
  [argonPreset.id]: argonPreset,
  [mullerBrownPreset.id]: mullerBrownPreset,
  [adatomPreset.id]: adatomPreset,
};

export { resolveSettings, PresetError } from './types.js';
export type { Preset, PresetIO, PresetReport, Settings, SettingSpec, SettingValue, OutputFile } from './types.js';
