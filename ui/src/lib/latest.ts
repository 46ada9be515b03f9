/**
 * Results as you type: requests are debounced, and each carries a sequence number so that a
 * slow, older request that answers late never overwrites the answer to a newer one.
 */

export interface Latest<A> {
  /** Schedules a request after the debounce delay; earlier pending ones are dropped. */
  request: (arg: A) => void;
  /** Runs now, without waiting for the delay. */
  now: (arg: A) => void;
  cancel: () => void;
}

export function latest<A, R>(
  fetch: (arg: A) => Promise<R>,
  apply: (result: { ok: true; value: R; arg: A } | { ok: false; error: unknown; arg: A }) => void,
  delay = 150,
): Latest<A> {
  let issued = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const run = (arg: A) => {
    const mine = ++issued;
    fetch(arg).then(
      (value) => {
        if (mine === issued) {
          apply({ ok: true, value, arg });
        }
      },
      (error: unknown) => {
        if (mine === issued) {
          apply({ ok: false, error, arg });
        }
      },
    );
  };

  return {
    request(arg) {
      clearTimeout(timer);
      timer = setTimeout(() => {
        run(arg);
      }, delay);
    },
    now(arg) {
      clearTimeout(timer);
      run(arg);
    },
    cancel() {
      clearTimeout(timer);
      issued++;
    },
  };
}
