// The trace viewer: a failing run's events as a Lamport diagram (a line per node, time going down,
// an arrow from each send to its delivery), stepped event by event with each node's state beside it.
(function () {
  const root = document.getElementById('trace-viewer');
  if (!root) return;
  const { el } = window.demoKit;
  const view = document.getElementById('trace-view');
  const position = document.getElementById('trace-position');
  const eventText = document.getElementById('trace-event');
  const statesTable = document.getElementById('trace-states');
  const ticks = document.getElementById('trace-ticks');
  const ROW = 20, LANE = 90, TOP = 34;
  const COLOURS = { send: '#2f6fd6', deliver: '#2f6fd6', drop: '#c0392b', duplicate: '#8e44ad', timer: '#b7950b', sync: '#27ae60',
    crash: '#c0392b', restart: '#27ae60', start: '#27ae60', partition: '#d35400', heal: '#16a085', action: '#23324d', failure: '#c0392b' };
  let events = [], rows = [], current = 0, failure = -1, nodes = [];


  const short = d => String(d).split('[')[0].split('\n')[0].slice(0, 60);
  const laneX = node => 40 + nodes.indexOf(node) * LANE;
  const shown = e => e.kind !== 'state' && (ticks.checked || e.kind !== 'timer');

  function draw() {
    while (view.firstChild) view.removeChild(view.firstChild);
    rows = events.filter(shown);
    const rowOf = new Map(rows.map((e, r) => [e.i, r]));
    const y = r => TOP + r * ROW;
    const textX = 40 + nodes.length * LANE;
    view.setAttribute('viewBox', '0 0 ' + (textX + 560) + ' ' + (TOP + rows.length * ROW + 10));
    view.setAttribute('width', textX + 560);
    view.setAttribute('height', TOP + rows.length * ROW + 10);
    nodes.forEach(n => {
      view.appendChild(el('text', { x: laneX(n), y: 16, 'text-anchor': 'middle', 'font-size': 12, 'font-weight': 'bold' }, 'node ' + n));
      view.appendChild(el('line', { x1: laneX(n), y1: 22, x2: laneX(n), y2: TOP + rows.length * ROW, stroke: '#cfd6e4', 'stroke-width': 2 }));
    });
    // arrows: each delivery or loss matched with the oldest send of the same message between the same nodes
    const pending = new Map();
    for (const e of events) {
      const key = (from, to) => from + '>' + to + '|' + e.detail;
      if (e.kind === 'send') (pending.get(key(e.node, e.peer)) || pending.set(key(e.node, e.peer), []).get(key(e.node, e.peer))).push(e);
      else if (e.kind === 'duplicate') { const q = pending.get(key(e.peer, e.node)); if (q && q.length) q.push(q[q.length - 1]); }
      else if (e.kind === 'deliver' || e.kind === 'drop') {
        const q = pending.get(key(e.peer, e.node)), sent = q && q.length ? q.shift() : null;
        if (!sent || !rowOf.has(sent.i) || !rowOf.has(e.i) || !nodes.includes(e.peer)) continue;
        const x1 = laneX(e.peer), y1 = y(rowOf.get(sent.i)), x2 = laneX(e.node), y2 = y(rowOf.get(e.i));
        const lost = e.kind === 'drop';
        const line = el('line', { x1, y1, x2: lost ? x1 + (x2 - x1) * 0.6 : x2, y2: lost ? y1 + (y2 - y1) * 0.6 + 6 : y2,
          stroke: lost ? '#c0392b' : '#7f9cc9', 'stroke-width': 1.2, 'stroke-dasharray': lost ? '4 3' : '', 'class': lost ? 'arrow lost' : 'arrow' });
        line.appendChild(el('title', {}, (lost ? 'lost: ' : '') + e.detail));
        view.appendChild(line);
        if (!lost) view.appendChild(el('circle', { cx: x2, cy: y2, r: 2.5, fill: '#7f9cc9' }));
      }
    }
    rows.forEach((e, r) => {
      const g = el('g', { 'class': 'event' + (e.kind === 'failure' ? ' failure' : '') + (e.i === current ? ' current' : ''), 'data-i': e.i, 'data-kind': e.kind });
      g.appendChild(el('rect', { x: 0, y: y(r) - ROW / 2, width: textX + 560, height: ROW,
        fill: e.kind === 'failure' ? '#fbe3e0' : e.i === current ? '#fff3c4' : 'transparent' }));
      const colour = COLOURS[e.kind] || '#1d2330';
      if (e.node > 0 && nodes.includes(e.node)) {
        g.appendChild(el('circle', { cx: laneX(e.node), cy: y(r), r: e.kind === 'crash' || e.kind === 'restart' || e.kind === 'start' ? 6 : 4, fill: colour }));
      } else {
        g.appendChild(el('line', { x1: 20, y1: y(r), x2: textX - 20, y2: y(r), stroke: colour, 'stroke-width': e.kind === 'failure' ? 4 : 2 }));
      }
      const who = e.node > 0 ? 'node ' + e.node : 'cluster';
      const what = e.kind === 'send' ? 'sends ' + short(e.detail) + ' to ' + e.peer
        : e.kind === 'deliver' ? 'gets ' + short(e.detail) + ' from ' + e.peer
        : e.kind === 'drop' ? 'loses ' + short(e.detail) + ' from ' + e.peer
        : e.kind === 'failure' ? 'broke a rule: ' + String(e.detail).split('\n')[0].slice(0, 160)
        : e.kind + ': ' + short(e.detail);
      g.appendChild(el('text', { x: textX, y: y(r) + 4, 'font-size': 11, fill: e.kind === 'failure' ? '#c0392b' : '#1d2330',
        'font-weight': e.kind === 'failure' ? 'bold' : 'normal' }, (e.time / 1000).toFixed(3) + ' s  ' + who + ' ' + what));
      g.addEventListener('click', () => go(e.i));
      view.appendChild(g);
    });
    show();
  }

  function show() {
    const e = events[current];
    if (!e) return;
    view.querySelectorAll('g.event').forEach(g => {
      const on = Number(g.getAttribute('data-i')) === current;
      g.classList.toggle('current', on);
      const rect = g.firstChild;
      if (g.getAttribute('data-kind') !== 'failure') rect.setAttribute('fill', on ? '#fff3c4' : 'transparent');
    });
    const r = rows.indexOf(e);
    position.textContent = 'event ' + (current + 1) + ' of ' + events.length + ' (t = ' + (e.time / 1000).toFixed(3) + ' s)'
      + (failure >= 0 ? '; the failure is event ' + (failure + 1) : '; the run did not record a failure');
    eventText.textContent = e.kind + (e.node > 0 ? ' at node ' + e.node : '') + (e.peer > 0 ? ', other node ' + e.peer : '') + '\n' + e.detail;
    // each node's last recorded state up to here, and whether it is up
    while (statesTable.firstChild) statesTable.removeChild(statesTable.firstChild);
    for (const n of nodes) {
      let state = 'no state recorded yet', up = true;
      for (let i = 0; i <= current; i++) {
        const x = events[i];
        if (x.node !== n) continue;
        if (x.kind === 'state') state = x.detail;
        else if (x.kind === 'crash') up = false;
        else if (x.kind === 'start' || x.kind === 'restart') up = true;
      }
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.textContent = 'node ' + n + (up ? '' : ' (down)');
      const td = document.createElement('td');
      td.textContent = state;
      tr.append(th, td);
      statesTable.appendChild(tr);
    }
    const g = view.querySelector('g.event[data-i="' + current + '"]');
    if (g && r >= 0) g.scrollIntoView({ block: 'nearest' });
  }

  function go(i) {
    current = Math.max(0, Math.min(events.length - 1, i));
    show();
  }

  function stepBy(d) {
    let i = current;
    do { i += d; } while (i >= 0 && i < events.length && !shown(events[i]));
    if (i >= 0 && i < events.length) go(i);
  }

  root.querySelectorAll('button[data-do]').forEach(b => b.addEventListener('click', () => {
    const what = b.getAttribute('data-do');
    if (what === 'first') { current = 0; stepBy(0); go(rows.length ? rows[0].i : 0); }
    else if (what === 'prev') stepBy(-1);
    else if (what === 'next') stepBy(1);
    else if (what === 'last') go(rows.length ? rows[rows.length - 1].i : 0);
    else if (what === 'failure' && failure >= 0) go(failure);
  }));
  document.addEventListener('keydown', e => {
    if (e.key === 'j' || e.key === 'ArrowDown') { stepBy(1); e.preventDefault(); }
    else if (e.key === 'k' || e.key === 'ArrowUp') { stepBy(-1); e.preventDefault(); }
  });
  ticks.addEventListener('change', draw);

  fetch('/api/traces/' + encodeURIComponent(root.getAttribute('data-name')))
    .then(r => r.json().then(json => { if (!r.ok) throw new Error(json.error || r.statusText); return json; }))
    .then(trace => {
      events = trace.events.map((e, i) => Object.assign({ i }, e));
      const ids = new Set();
      events.forEach(e => { if (e.node > 0) ids.add(e.node); if (e.peer > 0) ids.add(e.peer); });
      nodes = [...ids].sort((a, b) => a - b);
      failure = events.findIndex(e => e.kind === 'failure');
      current = failure >= 0 ? failure : 0;
      root.setAttribute('data-events', events.length);
      draw();
      if (trace.cut) position.textContent += ' (only its first events are drawn: the trace is long)';
      if (trace.skipped) position.textContent += ' (' + trace.skipped + ' lines of the file are not events: skipped)';
      if (!events.length) position.textContent = 'This trace has no events to draw (' + trace.skipped + ' lines that are not events).';
    })
    .catch(e => { position.textContent = 'The trace cannot be shown: ' + e.message; });
})();
