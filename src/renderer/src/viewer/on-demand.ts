/**
 * Render on demand: nothing is drawn while nothing changes. `request()` schedules one draw
 * on the next animation frame; `keepAlive(ms)` keeps drawing for a while (camera inertia
 * after an input event); `draw` returns true when it wants another frame (shaders still
 * compiling, camera still moving).
 */
export class OnDemandLoop {
  private scheduled = 0;
  private aliveUntil = 0;
  private disposed = false;

  constructor(private readonly draw: () => boolean) {}

  request(): void {
    if (this.scheduled || this.disposed) return;
    this.scheduled = requestAnimationFrame(() => this.tick());
  }

  keepAlive(ms: number): void {
    this.aliveUntil = Math.max(this.aliveUntil, performance.now() + ms);
    this.request();
  }

  get pending(): boolean {
    return this.scheduled !== 0;
  }

  dispose(): void {
    this.disposed = true;
    if (this.scheduled) cancelAnimationFrame(this.scheduled);
    this.scheduled = 0;
  }

  private tick(): void {
    this.scheduled = 0;
    if (this.disposed) return;
    const again = this.draw();
    if (again || performance.now() < this.aliveUntil) this.request();
  }
}
