// The in-page half of the benchmark, injected with `addInitScript` before any script of the
// page runs. The same probe measures Traceboard and the plain-JavaScript baseline: it only
// relies on what both pages share (a file input, `[role=status]` "Imported N requirements",
// cards as `[role=button]` elements inside `section[data-stage]` whose accessible text starts
// with the requirement id, an "Export matrix" button that downloads through
// `URL.createObjectURL`). It reads a card's id from its `aria-label`, else its `.card-id`,
// else its text, so it survives small changes of the app's markup.
//
// It records, with `performance.now()`:
//   - capture-phase `change` on window (a file input changed: the import starts),
//   - capture-phase `pointerup` on window (a drop: the move starts),
//   - capture-phase `click` on window for the "Export matrix" button (the export starts),
//   - calls of `URL.createObjectURL` (the exported bytes are ready),
//   - while a follow is armed, the page's `FileSystemFileHandle.getFile()` and
//     `Blob.arrayBuffer()` of the written file resolving (its watch saw and read the change),
// and keeps every `WebAssembly.Memory` that an instantiated module exports, so the harness can
// read the linear memory's size. The harness drives it through `window.__bench`.
//
// Cold start: from the first script of each page load it also watches, at the start of every
// animation frame, for the page taking input (DOMContentLoaded fired, so the document is parsed
// and its deferred and module scripts have run, and an enabled "Import matrix" button is there) and for the first card visible in the viewport; each is
// stamped with the task after the frame that first shows it (painted, the main thread free).
// `performance.now()` counts from the navigation's start, so the stamps are cold-start times.
// The harness stops this watch (`stopColdStart`) before it measures anything else.
(() => {
  if (window.__bench) return;
  const now = () => performance.now();
  const marks = { change: null, pointerup: null, click: null, objectUrl: null, objectSize: null };

  addEventListener(
    'change',
    (e) => {
      if (e.target instanceof HTMLInputElement && e.target.type === 'file') marks.change = now();
    },
    true,
  );
  addEventListener('pointerup', () => (marks.pointerup = now()), true);
  addEventListener(
    'click',
    (e) => {
      const button = e.target instanceof Element ? e.target.closest('button') : null;
      if (button && button.textContent.trim() === 'Export matrix') marks.click = now();
    },
    true,
  );

  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = function (object) {
    marks.objectUrl = now();
    marks.objectSize = object && typeof object.size === 'number' ? object.size : null;
    return createObjectURL.call(URL, object);
  };

  // A linked file followed (see `armFollow`): the page's own `getFile()` that first returns
  // the written file (its size is the written size), and the first `arrayBuffer()` of a blob
  // of that size resolving (the app reads the linked file with `File.arrayBuffer`). Both
  // return the browser's own promise; the stamp is taken by a reaction registered before the
  // app's, so it runs in the same microtask checkpoint, just before the app resumes.
  const follow = { armed: null };
  const arrayBuffer = Blob.prototype.arrayBuffer;
  Blob.prototype.arrayBuffer = function () {
    const promise = arrayBuffer.call(this);
    const armed = follow.armed;
    if (armed && armed.read === null && this.size === armed.bytes) {
      promise.then(() => (armed.read ??= now()), () => {});
    }
    return promise;
  };
  if (typeof FileSystemFileHandle === 'function') {
    const getFile = FileSystemFileHandle.prototype.getFile;
    FileSystemFileHandle.prototype.getFile = function () {
      const promise = getFile.call(this);
      const armed = follow.armed;
      if (armed && armed.detected === null) {
        promise.then((file) => armed.written !== null && file.size === armed.bytes && (armed.detected ??= now()), () => {});
      }
      return promise;
    };
  }

  // WebAssembly linear memories, from the exports of every instance the page creates.
  const memories = new Set();
  const keepMemories = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result && result.instance;
    for (const value of Object.values((instance && instance.exports) || {})) {
      if (value instanceof WebAssembly.Memory) memories.add(value);
    }
    return result;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    if (typeof original !== 'function') continue;
    WebAssembly[name] = function (...args) {
      return original.apply(this, args).then(keepMemories);
    };
  }

  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(now())));
  const nextTask = () => new Promise((resolve) => setTimeout(() => resolve(now()), 0));
  const CARD = '[role=button]:not(button)';
  const cardsOnBoard = () => document.querySelectorAll(`section[data-stage] ${CARD}`).length;
  const idOf = (el) => {
    const text = el.getAttribute('aria-label') || el.querySelector('.card-id')?.textContent || el.textContent;
    return /^\s*([^\s:]+)/.exec(text)?.[1] ?? '';
  };

  const cold = { input: null, card: null, stopped: false, waiting: [] };
  // DOMContentLoaded comes after the deferred and module scripts have run (readyState turns
  // "interactive" before they run, when a button's handler may not be attached yet).
  let scriptsRun = document.readyState === 'complete';
  addEventListener('DOMContentLoaded', () => (scriptsRun = true), { once: true });
  const takesInput = () =>
    scriptsRun &&
    [...document.querySelectorAll('button')].some((b) => !b.disabled && b.textContent.trim() === 'Import matrix');
  const cardVisible = () => {
    const first = document.querySelector(`section[data-stage] ${CARD}`);
    if (!first) return false;
    for (const el of document.querySelectorAll(`section[data-stage] ${CARD}`)) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth) return true;
    }
    return false;
  };
  const settleCold = () => {
    cold.waiting = cold.waiting.filter(({ card, resolve }) => {
      if (cold.input === null || (card && cold.card === null)) return true;
      resolve({ input: cold.input, card: cold.card });
      return false;
    });
  };
  const watchCold = () => {
    if (cold.stopped) return;
    if (cold.input === null && takesInput()) nextTask().then((t) => ((cold.input ??= t), settleCold()));
    if (cold.card === null && cardVisible()) nextTask().then((t) => ((cold.card ??= t), settleCold()));
    requestAnimationFrame(watchCold);
  };
  requestAnimationFrame(watchCold);

  window.__bench = {
    marks,

    /**
     * Resolves with `{input, card}` (milliseconds from navigation start) once the page takes
     * input and, when `card` is true, once a card is visible too.
     */
    coldStartDone(card) {
      return new Promise((resolve) => {
        cold.waiting.push({ card, resolve });
        settleCold();
      });
    },

    /** Ends the cold-start watch, so it costs nothing during the other measures. */
    stopColdStart() {
      cold.stopped = true;
    },

    /** Bytes of WebAssembly linear memory the page holds (null when it has none). */
    wasmMemoryBytes() {
      if (memories.size === 0) return null;
      let total = 0;
      for (const m of memories) total += m.buffer.byteLength;
      return total;
    },

    /**
     * Starts watching for the end of an import of `n` requirements; `importDone` resolves
     * with `{start, dom, ready, via, cards, wasm}`: `start` when the file input changed, `dom` when the
     * report "Imported n requirements" has been shown and each column in `stages` (the
     * non-empty ones) shows cards, `ready` after the next animation frame and a task (the
     * board is painted and takes input), `cards` how many cards the DOM then holds (fewer
     * than n when the board renders only the visible cards), `wasm` the linear memory then,
     * `via` whether the end was seen by the observer or at the start of a frame.
     *
     * Only the `[role=status]` elements are observed (not the whole document, which would make
     * the browser record every card insertion); the columns are checked then and at the start
     * of each frame (when the check passes there, that frame is the one that paints the board,
     * so only the task after it is awaited). The report is remembered once seen, since a later
     * notice may replace it.
     */
    armImport(n, stages) {
      marks.change = null;
      const report = new RegExp(`^Imported ${n} requirements?\\b`);
      this.importDone = new Promise((resolve) => {
        let reported = false;
        let dom = null;
        const statuses = [...document.querySelectorAll('[role=status]')];
        const check = (inFrame) => {
          if (dom !== null) return;
          reported ||= [...document.querySelectorAll('[role=status]')].some((el) =>
            report.test(el.textContent.trim()),
          );
          if (!reported) return;
          if (!stages.every((s) => document.querySelector(`section[data-stage="${s}"] ${CARD}`))) return;
          dom = now();
          observer.disconnect();
          const via = inFrame ? 'frame' : 'mutation';
          const wasm = () => window.__bench.wasmMemoryBytes();
          (inFrame ? nextTask() : nextFrame().then(nextTask)).then((ready) =>
            resolve({ start: marks.change, dom, ready, via, cards: cardsOnBoard(), wasm: wasm() }),
          );
        };
        const observer = new MutationObserver(() => check(false));
        const options = { childList: true, subtree: true, characterData: true, attributes: true };
        if (statuses.length > 0) statuses.forEach((el) => observer.observe(el, options));
        else observer.observe(document.body, options);
        const poll = () => {
          check(true);
          if (dom === null) requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      });
    },

    /**
     * Starts watching column `stage` for the card `id` to appear; `moveDone` resolves with
     * `{up, dom, frame, painted}`: the pointerup, the mutation that shows the card in the
     * column, the next animation frame's callback, and the task after that frame (painted).
     */
    armMove(id, stage) {
      marks.pointerup = null;
      const column = document.querySelector(`section[data-stage="${stage}"]`);
      const isCard = (node) => node instanceof Element && node.matches(CARD) && idOf(node) === id;
      const holdsCard = (node) =>
        isCard(node) || (node instanceof Element && [...node.querySelectorAll(CARD)].some(isCard));
      this.moveDone = new Promise((resolve) => {
        const observer = new MutationObserver((records) => {
          const seen = records.some((r) =>
            r.type === 'attributes' ? isCard(r.target) : [...r.addedNodes].some(holdsCard),
          );
          if (!seen) return;
          const dom = now();
          observer.disconnect();
          nextFrame().then((frame) =>
            nextTask().then((painted) => resolve({ up: marks.pointerup, dom, frame, painted })),
          );
        });
        observer.observe(column, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label'] });
      });
    },

    /**
     * Starts watching for the linked file's change to reach the board: the file is about to
     * be written with `bytes` bytes, moving card `id` into column `stage`. Call `followWritten`
     * as soon as the write's `close()` has resolved. `followDone` resolves with `{written,
     * detected, read, dom, frame, painted, via}`: the write closed, the app's `getFile()`
     * returning the new file (its watch saw the change), the app's read of it resolving, the
     * card in the column (seen by a MutationObserver on the column, or at the start of a frame
     * when the column element itself was replaced), the next animation frame and the task
     * after it (painted).
     */
    armFollow(id, stage, bytes) {
      const armed = { bytes, written: null, detected: null, read: null };
      follow.armed = armed;
      const inColumn = () =>
        [...document.querySelectorAll(`section[data-stage="${stage}"] ${CARD}`)].some((el) => idOf(el) === id);
      if (inColumn()) throw new Error(`${id} is already in ${stage}`);
      this.followDone = new Promise((resolve) => {
        let dom = null;
        const seen = (via) => {
          if (dom !== null || armed.written === null || !inColumn()) return;
          dom = now();
          observer.disconnect();
          follow.armed = null;
          const done = (frame, painted) => resolve({ ...armed, dom, frame, painted, via });
          if (via === 'frame') nextTask().then((painted) => done(dom, painted));
          else nextFrame().then((frame) => nextTask().then((painted) => done(frame, painted)));
        };
        const observer = new MutationObserver(() => seen('mutation'));
        const column = document.querySelector(`section[data-stage="${stage}"]`);
        observer.observe(column, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label'] });
        const poll = () => {
          seen('frame');
          if (dom === null) requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      });
    },

    /** Stamps the end of the write that `armFollow` waits for (its `close()` resolved). */
    followWritten() {
      if (follow.armed) follow.armed.written = now();
    },

    /** Ids of the cards in column `stage`, in DOM order, with their element ids. */
    cardsIn(stage, limit = 50) {
      const cards = document.querySelectorAll(`section[data-stage="${stage}"] ${CARD}`);
      return [...cards].slice(0, limit).map((el) => ({ id: idOf(el), elementId: el.id }));
    },

    resetExport() {
      marks.click = null;
      marks.objectUrl = null;
      marks.objectSize = null;
    },
  };
})();
