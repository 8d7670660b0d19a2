/**
 * Drag and drop of files anywhere on an element: `dragging` is true while files hover over
 * it (an enter/leave counter, since child elements fire their own enter/leave events).
 * Drags that carry no files (text, links) are ignored.
 */
import { ref, type Ref } from 'vue';

export interface FileDrop {
  dragging: Ref<boolean>;
  onDragEnter(e: DragEvent): void;
  onDragOver(e: DragEvent): void;
  onDragLeave(e: DragEvent): void;
  onDrop(e: DragEvent): void;
}

function hasFiles(e: DragEvent): boolean {
  const types = e.dataTransfer?.types;
  return !!types && Array.from(types).includes('Files');
}

export function useFileDrop(onFiles: (files: File[]) => void): FileDrop {
  const dragging = ref(false);
  let depth = 0;
  return {
    dragging,
    onDragEnter(e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      dragging.value = true;
    },
    onDragOver(e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave(e) {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) dragging.value = false;
    },
    onDrop(e) {
      depth = 0;
      dragging.value = false;
      const files = e.dataTransfer ? Array.from(e.dataTransfer.files) : [];
      if (files.length === 0) return;
      e.preventDefault();
      onFiles(files);
    },
  };
}
