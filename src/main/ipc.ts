/**
 * IPC transport of the API: one ipcMain handler per method of the contract, each checking
 * that the sender frame is ours before dispatching (schema validation happens in dispatch).
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { ApiHandlers } from '../shared/api.js';
import { dispatch } from '../shared/dispatch.js';
import { ApiError } from '../shared/errors.js';
import { ipcChannel, METHOD_NAMES } from '../shared/methods.js';
import { isTrustedSender } from './security.js';

export function registerApiHandlers(handlers: ApiHandlers): string[] {
  const channels: string[] = [];
  for (const method of METHOD_NAMES) {
    const channel = ipcChannel(method);
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedSender(event.senderFrame?.url)) {
        return { ok: false, error: new ApiError('forbidden', `IPC from an untrusted frame refused`).toData() };
      }
      return dispatch(handlers, method, input);
    });
    channels.push(channel);
  }
  return channels;
}
