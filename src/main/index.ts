/**
 * Electron main: one window, the native menu, dialogs, the single-instance lock, files from
 * the command line, and the supervisor of the compute host. All science happens in the
 * compute host; all API calls go through the one contract (src/shared/api.ts).
 */
import { app, BrowserWindow, dialog, Menu } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../backend/handlers.js';
import { ComputeSupervisor } from '../backend/compute-supervisor.js';
import { exampleFiles } from '../node/app-paths.js';
import { VERSION } from '../node/version.js';
import { EVENT_CHANNEL } from '../shared/methods.js';
import type { AppEvent } from '../shared/types.js';
import { utilityHost } from './compute-host.js';
import { registerApiHandlers } from './ipc.js';
import { buildMenu } from './menu.js';
import { registerSchemePrivileges, serveRendererFrom } from './protocol.js';
import { addRecent, clearRecent, loadRecent } from './recent.js';
import { APP_ORIGIN, hardenSessions, secureWebPreferences } from './security.js';

const outDir = path.join(__dirname, '..'); // out/
let win: BrowserWindow | null = null;

/** Files named on a command line (skipping Electron's own arguments). */
function filesFromArgv(argv: string[], cwd: string): string[] {
  return argv
    .slice(app.isPackaged ? 1 : 2)
    .filter((a) => !a.startsWith('-'))
    .map((a) => path.resolve(cwd, a))
    .filter((p) => existsSync(p));
}

function emit(event: AppEvent): void {
  win?.webContents.send(EVENT_CHANNEL, event);
}

function requestOpen(paths: string[]): void {
  if (paths.length === 0) return;
  addRecent(paths);
  refreshMenu();
  emit({ type: 'files.openRequested', paths });
  if (win?.isMinimized()) win.restore();
  win?.focus();
}

const versions = {
  electron: process.versions.electron ?? '',
  chrome: process.versions.chrome ?? '',
  node: process.versions.node,
  v8: process.versions.v8,
};

function refreshMenu(): void {
  if (!win) return;
  const w = win;
  Menu.setApplicationMenu(
    buildMenu(
      w,
      {
        open: () => {
          void dialog
            .showOpenDialog(w, { properties: ['openFile', 'multiSelections'], title: 'Open structure or trajectory' })
            .then((r) => !r.canceled && requestOpen(r.filePaths));
        },
        openRecent: (p) => requestOpen([p]),
        exportFigure: () => emit({ type: 'menu', command: 'export-figure' }),
        recent: loadRecent,
        clearRecent: () => {
          clearRecent();
          refreshMenu();
        },
      },
      versions,
    ),
  );
}

function start(): void {
  registerSchemePrivileges();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', (_e, argv, cwd) => requestOpen(filesFromArgv(argv, cwd)));
  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    hardenSessions();
    serveRendererFrom(path.join(outDir, 'renderer'));
    const compute = new ComputeSupervisor(() => utilityHost(path.join(outDir, 'node', 'compute-host.js')));
    const cliFiles = filesFromArgv(process.argv, process.cwd());
    const backend = createBackend({
      compute,
      emit,
      mode: 'electron',
      versions,
      appVersion: VERSION,
      initialFiles: cliFiles.length > 0 ? cliFiles : exampleFiles(),
    });
    registerApiHandlers(backend.handlers);

    win = new BrowserWindow({
      width: 1400,
      height: 900,
      show: false,
      title: 'Atomscope',
      backgroundColor: '#16181d',
      // Spelled out here (not only in security.ts) so reviewers and scanners see them at the window.
      webPreferences: {
        ...secureWebPreferences(path.join(outDir, 'preload', 'index.cjs')),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        disableBlinkFeatures: 'Auxclick',
      },
    });
    win.once('ready-to-show', () => win?.show());
    refreshMenu();
    void win.loadURL(`${APP_ORIGIN}/index.html`);
    app.on('before-quit', () => {
      void backend.dispose();
      compute.dispose();
    });
  });
}

start();
