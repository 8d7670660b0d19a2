// The app version, injected by the bundler (esbuild/electron-vite `define`), with a fallback for tests.
declare const __ATOMSCOPE_VERSION__: string | undefined;
export const VERSION: string = typeof __ATOMSCOPE_VERSION__ === 'string' ? __ATOMSCOPE_VERSION__ : '0.0.0-dev';
