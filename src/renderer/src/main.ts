import { createApp } from 'vue';
import App from './App.vue';
import { connectBackend } from './api/client';
import { TEST_HOOK, WORKBENCH } from './composables/workbench';
import { Workbench } from './state/workbench';
import { installTestHook } from './testing/test-hook';
import './styles/app.css';

const workbench = new Workbench(connectBackend());
const testHook = installTestHook(workbench);

const app = createApp(App);
app.provide(WORKBENCH, workbench);
app.provide(TEST_HOOK, testHook);
// Nothing a backend or component throws may end as an unhandled rejection: it is shown.
app.config.errorHandler = (err) => workbench.report(err);
window.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  workbench.report(e.reason);
});
app.mount('#app');
void workbench.init();
