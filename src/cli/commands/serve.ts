// `atomscope serve [--port N] [--host H] [FILE...]`: the app in a browser, API over WebSocket.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../backend/handlers.js';
import { ComputeSupervisor } from '../../backend/compute-supervisor.js';
import { forkHost } from '../../node/fork-host.js';
import { appRoot, exampleFiles } from '../../node/app-paths.js';
import { VERSION } from '../../node/version.js';
import { startServer } from '../../server/serve.js';
import type { AppEvent } from '../../shared/types.js';
import { optionNumber, optionString, type ParsedArgs, UsageError } from '../args.js';

export async function serveCommand(args: ParsedArgs): Promise<number> {
  const port = optionNumber(args, 'port', true) ?? 8470;
  const host = optionString(args, 'host') ?? '127.0.0.1';
  const staticRoot = path.join(appRoot(), 'out', 'renderer');
  if (!existsSync(path.join(staticRoot, 'index.html'))) {
    throw new UsageError(`the renderer is not built (${staticRoot}); run "npm run build" first`);
  }
  const files = args.positionals.map((f) => path.resolve(f));
  for (const f of files) if (!existsSync(f)) throw new UsageError(`${f}: no such file`);

  const compute = new ComputeSupervisor(() => forkHost());
  let broadcast: (e: AppEvent) => void = () => undefined;
  const backend = createBackend({
    compute,
    emit: (e) => broadcast(e),
    mode: 'browser',
    versions: { node: process.versions.node, v8: process.versions.v8 },
    appVersion: VERSION,
    initialFiles: files.length > 0 ? files : args.options.has('no-example') ? [] : exampleFiles(),
  });
  const server = await startServer({
    host,
    port,
    staticRoot,
    handlers: backend.handlers,
    token: optionString(args, 'token') ?? process.env['ATOMSCOPE_TOKEN'],
  });
  broadcast = server.broadcast;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    process.stderr.write(`warning: listening on ${host}: anyone who can reach it and has the token can read files\n`);
  }
  process.stdout.write(`Atomscope is serving at ${server.url.replace(/:\d+\//, `:${server.port}/`)}\n`);

  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await backend.dispose();
  compute.dispose();
  return 0;
}
