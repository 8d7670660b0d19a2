// `npm start`: build, then open the app on the bundled example: in Electron when its binary
// is here, otherwise (one line says so) the same app in browser mode via `atomscope serve`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

spawnSync(process.execPath, ['scripts/setup.mjs', '--electron'], { stdio: 'inherit' });
const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (b.status !== 0) process.exit(b.status ?? 1);

const electronReady = existsSync('node_modules/electron/path.txt') && existsSync('node_modules/electron/dist');
const args = process.argv.slice(2);
if (electronReady) {
  spawn('npx', ['--no-install', 'electron-vite', 'preview', '--', ...args], { stdio: 'inherit' }).on('exit', (c) =>
    process.exit(c ?? 0),
  );
} else {
  console.log('The Electron binary is not available here: serving the same app in browser mode; open the URL below.');
  spawn(process.execPath, ['bin/atomscope.js', 'serve', ...args], { stdio: 'inherit' }).on('exit', (c) =>
    process.exit(c ?? 0),
  );
}
