// Chapters 3 and 4's live demo: a three-member replicated store in the kit's simulator on the server,
// used as etcd's clients use it; drawn as the store's history, its key index and its watchers.
(function () {
  const root = document.getElementById('store-demo');
  if (!root) return;
  const { el, html, create, actions } = window.demoKit;
  const view = document.getElementById('store-view');
  const status = document.getElementById('store-status');
  const keysTable = document.getElementById('store-keys');
  const watcherList = document.getElementById('store-watchers');
  const field = name => document.getElementById('store-' + name);
  let id = null, history = {};




  function draw(state) {
    while (view.firstChild) view.removeChild(view.firstChild);
    state.members.forEach((m, i) => {
      const x = 10 + i * 250, leader = m.up && m.role === 'LEADER';
      const g = el('g', { 'class': 'member', 'data-id': m.id, 'data-role': m.up ? m.role : 'DOWN' });
      g.appendChild(el('rect', { x, y: 4, width: 240, height: 26, rx: 5, fill: leader ? '#2f6fd6' : m.up ? '#fff' : '#d9d9d9', stroke: '#23324d' }));
      g.appendChild(el('text', { x: x + 8, y: 22, 'font-size': 12, fill: leader ? '#fff' : '#1d2330' },
        'member ' + m.id + ': ' + (m.up ? m.role.toLowerCase() + ', term ' + m.term + ', revision ' + m.revision : 'down')));
      view.appendChild(g);
    });
    const revs = state.history || [];
    let x = 10;
    if (state.compactRevision > 0) {
      view.appendChild(el('rect', { x, y: 44, width: 70, height: 60, fill: '#eceff4', stroke: '#9aa5b8', 'stroke-dasharray': '4 3' }));
      view.appendChild(el('text', { x: x + 35, y: 70, 'text-anchor': 'middle', 'font-size': 11 }, 'up to ' + state.compactRevision));
      view.appendChild(el('text', { x: x + 35, y: 86, 'text-anchor': 'middle', 'font-size': 11 }, 'compacted'));
      x += 78;
    }
    const width = Math.max(38, Math.min(90, (750 - x) / Math.max(1, revs.length)));
    for (const r of revs) {
      const g = el('g', { 'class': 'revision', 'data-revision': r.revision });
      g.appendChild(el('rect', { x, y: 44, width: width - 4, height: 60, fill: '#fff', stroke: '#23324d' }));
      g.appendChild(el('text', { x: x + 4, y: 58, 'font-size': 11, 'font-weight': 'bold' }, r.revision));
      if (!r.events.length) g.appendChild(el('text', { x: x + 4, y: 72, 'font-size': 9, fill: '#7f8c8d' }, r.revision === 1 ? 'empty store' : 'no change'));
      r.events.slice(0, 3).forEach((e, k) => g.appendChild(el('text', { x: x + 4, y: 72 + k * 12, 'font-size': 9, fill: e.type === 'DELETE' ? '#c0392b' : '#1d2330' },
        (e.type === 'DELETE' ? '\u2715 ' : '') + e.key.slice(0, Math.floor(width / 6)))));
      const title = el('title', {}, 'revision ' + r.revision + ': ' + r.events.map(e => e.type + ' ' + e.key + (e.type === 'PUT' ? ' = ' + e.value + ' (version ' + e.version + ')' : '')).join('; '));
      g.appendChild(title);
      view.appendChild(g);
      x += width;
    }
    view.setAttribute('viewBox', '0 0 ' + Math.max(760, x + 10) + ' 120');

    while (keysTable.firstChild) keysTable.removeChild(keysTable.firstChild);
    for (const k of state.keys || []) {
      const tr = html('tr', { 'data-key': k.key, 'data-generations': k.generations.length });
      tr.appendChild(html('th', {}, k.key));
      const td = html('td');
      k.generations.forEach(g => {
        const span = html('span', { 'class': 'generation' });
        span.appendChild(document.createTextNode('{ '));
        g.forEach(r => span.appendChild(html('span', { 'class': r.tombstone ? 'tombstone' : '' }, (r.tombstone ? '\u2715' : '') + r.revision + ' ')));
        span.appendChild(document.createTextNode('}'));
        td.appendChild(span);
      });
      tr.appendChild(td);
      keysTable.appendChild(tr);
    }

    while (watcherList.firstChild) watcherList.removeChild(watcherList.firstChild);
    for (const w of state.watchers || []) {
      const li = html('li', { 'data-number': w.number, 'data-events': w.events.length, 'data-status': w.status.split(':')[0] });
      li.appendChild(html('strong', {}, 'watcher ' + w.number));
      li.appendChild(document.createTextNode(' on member ' + w.member + ', ' + (w.prefix ? 'every key under ' : '') + w.key
        + (w.start > 0 ? ' from revision ' + w.start : ' from its creation') + ': ' + w.status + '. Events: '
        + (w.events.length ? w.events.map(e => e.revision + ' ' + e.type.toLowerCase() + ' ' + e.key).join(', ') : 'none yet')));
      if (w.status === 'watching') {
        const b = html('button', {}, 'Cancel');
        b.addEventListener('click', () => act({ kind: 'cancel', arg: w.number }));
        li.appendChild(document.createTextNode(' '));
        li.appendChild(b);
      }
      watcherList.appendChild(li);
    }
    status.textContent = 't = ' + (state.now / 1000).toFixed(1) + ' s, seed ' + state.seed + ', revision ' + state.revision
      + (state.compactRevision ? ' (compacted at ' + state.compactRevision + ')' : '') + (state.last ? '. Last: ' + state.last : '');
    check(state);
  }

  function check(state) {
    const pass = step => window.tries.pass(step);
    const keys = state.keys || [], watchers = state.watchers || [];
    const versions = (state.history || []).flatMap(r => r.events).filter(e => e.type === 'PUT').map(e => e.version);
    if (keys.length >= 2 && versions.some(v => v >= 2)) pass('revisions');
    if (keys.some(k => k.generations.length >= 2)) pass('generation');
    if (history.lastKind === 'txn') {
      if (state.last.includes('"succeeded":true')) history.casOk = true;
      else if (history.casOk) pass('cas');
    }
    const compactedWatch = watchers.some(w => w.status.startsWith('canceled: revision'));
    if (state.compactRevision > 0 && compactedWatch) { pass('compacted'); pass('watch-compacted'); }
    if (watchers.some(w => w.start === 0 && w.events.length >= 1)) pass('watch-live');
    if (watchers.some(w => w.start >= 1 && w.events.length >= 2)) pass('watch-history');
    if (watchers.some(w => w.status.startsWith('ended'))) pass('watch-member-down');
  }

  // Each action is followed by 200 ms of simulated time, in which the store's ticks catch unsynced watchers up.
  const queue = actions(() => id, (state, next) => {
    if (next.kind !== 'step') history.lastKind = next.kind;
    draw(state);
  }, status);
  const act = action => queue.push(action, { kind: 'step', arg: 200 });

  root.querySelectorAll('button[data-do]').forEach(b => b.addEventListener('click', () => {
    const what = b.getAttribute('data-do');
    if (what === 'link') { queue.push({ kind: 'link' }); return; } // after the actions asked before it, so the link holds them all
    const key = field('key').value, value = field('value').value, rev = Number(field('rev').value) || 0;
    if (what === 'put') act({ kind: 'put', key, value });
    else if (what === 'get') act({ kind: 'get', key, arg: rev });
    else if (what === 'delete') act({ kind: 'delete', key });
    else if (what === 'txn') act({ kind: 'txn', key, value, arg: rev });
    else if (what === 'compact') act({ kind: 'compact', arg: rev });
    else if (what === 'watch') act({ kind: 'watch', key, arg: rev });
    else if (what === 'watch-prefix') act({ kind: 'watch', key, value: 'prefix', arg: rev });
    else if (what === 'kill') act({ kind: 'kill' });
    else if (what === 'restart') act({ kind: 'restart' });
  }));

  function start(code) {
    id = null;
    queue.clear();
    history = {};
    create('store', Number(root.getAttribute('data-seed')) || 1, code)
      .then(made => { id = made.id; draw(made.state); root.setAttribute('data-demo', id); })
      .catch(e => { status.textContent = e.message; });
  }

  document.getElementById('store-code').addEventListener('change', e => start(e.target.value));
  start('reference');
})();
