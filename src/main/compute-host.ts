// The compute host as an Electron utilityProcess: a separate OS process, so a native crash
// in a parser or onnxruntime never takes the window down. The supervisor restarts it.
import { utilityProcess } from 'electron';
import type { HostHandle } from '../shared/compute-protocol.js';

export function utilityHost(hostScript: string): HostHandle {
  const child = utilityProcess.fork(hostScript, [], { serviceName: 'Atomscope compute', stdio: 'inherit' });
  return {
    postMessage: (msg) => child.postMessage(msg),
    onMessage: (cb) => {
      child.on('message', cb);
    },
    onExit: (cb) => {
      child.on('exit', (code) => cb(code, code === 0 ? null : 'crashed'));
    },
    kill: () => {
      child.kill();
    },
  };
}
