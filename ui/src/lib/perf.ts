/**
 * Performance marks the app benchmark reads (`make bench-app`): a named mark once a view's
 * content has been painted. Two animation frames: the first callback runs before the frame that
 * shows the new DOM is painted, the second after it.
 */
export function markPainted(name: string): void {
  if (typeof requestAnimationFrame !== "function" || typeof performance.mark !== "function") {
    return;
  }
  requestAnimationFrame(() => {
    requestAnimationFrame(() => {
      performance.mark(name);
    });
  });
}
