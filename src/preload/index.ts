/**
 * The preload bridge: exposes exactly the API table (one function per method, grouped by
 * the part before the dot) as `window.atomscope`, and the event listener + dropped-file
 * path lookup as `window.atomscopeShell`. No raw ipcRenderer ever reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { buildBridge, type AtomscopeShell } from '../shared/bridge.js';
import { EVENT_CHANNEL, ipcChannel, METHOD_NAMES } from '../shared/methods.js';
import type { AppEvent } from '../shared/types.js';

const bridge = buildBridge(METHOD_NAMES, (method, input) => ipcRenderer.invoke(ipcChannel(method), input));

const shell: AtomscopeShell = {
  onEvent(listener) {
    const wrapped = (_e: IpcRendererEvent, event: AppEvent): void => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },
  pathForFile(file) {
    return webUtils.getPathForFile(file as File);
  },
};

contextBridge.exposeInMainWorld('atomscope', bridge);
contextBridge.exposeInMainWorld('atomscopeShell', shell);
