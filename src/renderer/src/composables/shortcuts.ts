/**
 * Window-wide keys: Space plays/pauses, , and . step one frame, Ctrl/Cmd+O opens files.
 * Keys typed into a text field or a control are left alone; in the 3D view the arrow keys
 * belong to the camera.
 */
import { onBeforeUnmount, onMounted } from 'vue';
import type { Workbench } from '../state/workbench';

function isEditable(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON'].includes(t.tagName);
}

export function useShortcuts(wb: Workbench): void {
  const onKey = (e: KeyboardEvent): void => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'o') {
      e.preventDefault();
      wb.state.openDialogRequests++;
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
    if (e.key === ' ') {
      e.preventDefault();
      wb.togglePlayback();
    } else if (e.key === ',' || e.key === '.') {
      wb.stopPlayback();
      wb.setFrame(wb.state.frameTarget + (e.key === '.' ? 1 : -1));
    }
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
