import { EventEmitter } from 'node:events';

// This process applying an event to an order replica wakes the payments waiting for it.
const changed = new EventEmitter();
changed.setMaxListeners(0);

/** The listener applied an event to order `id` (inserted or updated its replica). */
export function signalOrderChanged(id: string): void {
  changed.emit(id);
}

/**
 * Resolves when this process next applies an event to order `id`, or after `ms` at the latest:
 * another replica of the service may apply it, so the caller reads the replica again either way.
 */
export function orderChangeOrTimeout(id: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      changed.off(id, done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    changed.on(id, done);
  });
}
