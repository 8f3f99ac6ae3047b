// What the demos' scripts share: calls to the tutorial's API, SVG and HTML elements made safely (text
// is set as text, never parsed), and links that replay a run (its seed and actions, in the page's #).
window.demoKit = (function () {
  const SVG = 'http://www.w3.org/2000/svg';

  async function call(method, path, body) {
    const r = await fetch(path, { method, headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    const json = await r.json();
    if (!r.ok) throw new Error(json.error || r.statusText);
    return json;
  }

  function make(element, attrs, text) {
    for (const k in attrs) element.setAttribute(k, attrs[k]);
    if (text !== undefined) element.textContent = text;
    return element;
  }

  const el = (name, attrs, text) => make(document.createElementNS(SVG, name), attrs, text);
  const html = (name, attrs, text) => make(document.createElement(name), attrs, text);

  // A run as the page's #: base64 of the JSON that /api/demos/{id}/replay answers.
  const encode = run => btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(run))));
  const decode = text => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(text), c => c.charCodeAt(0))));

  /** The run this page's link carries for this demo ({demo, seed, code, actions}), or null. */
  function linked(demo) {
    const m = location.hash.match(/^#replay=(.+)$/);
    if (!m) return null;
    try {
      const run = decode(m[1]);
      return run.demo === demo ? run : null;
    } catch (e) {
      return null;
    }
  }

  /** Puts the demo's run (seed and actions so far) in the page's address, and returns the address. */
  async function link(id) {
    const run = await call('GET', '/api/demos/' + id + '/replay');
    history.replaceState(null, '', '#replay=' + encode(run));
    return location.href;
  }

  /** Makes a demo: the run the page's link carries, if it is for this demo, else a fresh one. */
  function create(demo, seed, code) {
    const run = linked(demo);
    return call('POST', '/api/demos', run && run.code === code ? run : { demo, seed, code });
  }

  /**
   * A demo's actions, run one at a time in the order asked: a click while a step is on its way waits
   * for it, never lost. {@code onState(state, action)} draws each answer; a {kind: 'link'} action puts
   * the run so far in the page's address. Errors are said in {@code status}.
   */
  function actions(idOf, onState, status) {
    const queue = [];
    let busy = false;
    async function drain() {
      busy = true;
      while (queue.length) {
        const next = queue.shift();
        try {
          if (next.kind === 'link') status.textContent = 'This address replays the run: ' + await link(idOf());
          else onState(await call('POST', '/api/demos/' + idOf() + '/actions', next), next);
        } catch (e) {
          status.textContent = e.message;
        }
      }
      busy = false;
    }
    return {
      push(...more) {
        if (!idOf()) return;
        queue.push(...more);
        if (!busy) drain();
      },
      idle: () => !busy && !queue.length,
      clear() { queue.length = 0; }
    };
  }

  return { call, el, html, link, create, actions };
})();
