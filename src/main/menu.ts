// The native menu: File (Open…, Open Recent, Export Figure…, Quit), View, Help (About).
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  open(): void;
  openRecent(path: string): void;
  exportFigure(): void;
  recent(): string[];
  clearRecent(): void;
}

export function buildMenu(win: BrowserWindow, actions: MenuActions, versions: Record<string, string>): Menu {
  const recent = actions.recent();
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
        {
          label: 'Open Recent',
          submenu: [
            ...recent.map((p) => ({ label: p, click: () => actions.openRecent(p) })),
            ...(recent.length ? [{ type: 'separator' as const }] : []),
            { label: 'Clear Recent', enabled: recent.length > 0, click: () => actions.clearRecent() },
          ],
        },
        { type: 'separator' },
        { label: 'Export Figure…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportFigure() },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    {
      label: 'Help',
      submenu: [
        {
          label: 'About Atomscope',
          click: () =>
            void dialog.showMessageBox(win, {
              type: 'info',
              title: 'About Atomscope',
              message: `Atomscope ${app.getVersion()}`,
              detail: Object.entries(versions)
                .map(([k, v]) => `${k} ${v}`)
                .join('\n'),
            }),
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
