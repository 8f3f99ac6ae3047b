// Chapter 2's live demo: a five-node Raft cluster in the kit's simulator on the server, drawn in SVG.
(function () {
  const root = document.getElementById('election-demo');
  if (!root) return;
  const view = document.getElementById('election-view');
  const status = document.getElementById('election-status');
  const { call, el, create, actions } = window.demoKit;
  let id = null, playing = false;
  const COLOURS = ['#7f8c8d', '#2f6fd6', '#d35400', '#27ae60', '#8e44ad', '#c0392b', '#16a085', '#b7950b'];



  const MESSAGE_COLOURS = { RequestVote: '#d35400', RequestVoteReply: '#e59866', AppendEntries: '#2f6fd6', AppendEntriesReply: '#85a9e6' };
  const position = (i, n) => {
    const a = -Math.PI / 2 + i * 2 * Math.PI / n;
    return [250 + 110 * Math.cos(a), 150 + 110 * Math.sin(a)];
  };

  // Each message on its way: a dot on the line from its sender to its receiver, as far along as its time in flight.
  function drawMessages(state) {
    const n = state.nodes.length;
    for (const m of state.messages || []) {
      const [x1, y1] = position(m.from - 1, n), [x2, y2] = position(m.to - 1, n);
      const f = Math.max(0, Math.min(1, (state.now - m.sentAt) / Math.max(1, m.arrivesAt - m.sentAt)));
      const dot = el('circle', { cx: x1 + (x2 - x1) * f, cy: y1 + (y2 - y1) * f, r: 6, 'class': 'message', 'data-kind': m.kind,
        fill: MESSAGE_COLOURS[m.kind] || '#7f8c8d', stroke: '#fff' });
      dot.appendChild(el('title', {}, m.kind + ' from node ' + m.from + ' to node ' + m.to + ': ' + m.detail + ' (click: lose it; shift-click: hold it back)'));
      dot.addEventListener('click', e => act(e.shiftKey ? 'delay' : 'drop', m.id));
      view.appendChild(dot);
    }
  }

  function draw(state) {
    while (view.firstChild) view.removeChild(view.firstChild);
    const n = state.nodes.length;
    state.nodes.forEach((node, i) => {
      const [x, y] = position(i, n);
      const role = node.up ? node.role : 'DOWN';
      const g = el('g', { 'class': 'node', 'data-id': node.id, 'data-role': role, 'data-term': node.up ? node.term : '' });
      g.appendChild(el('circle', { cx: x, cy: y, r: 34, fill: role === 'LEADER' ? '#2f6fd6' : role === 'CANDIDATE' ? '#f1c75b' : node.up ? '#ffffff' : '#d9d9d9',
        stroke: node.up && node.cutFrom.length ? '#c0392b' : '#23324d', 'stroke-width': 3, 'stroke-dasharray': node.up && node.cutFrom.length ? '6 4' : '' }));
      g.appendChild(el('text', { x: x, y: y - 4, 'text-anchor': 'middle', 'font-size': 14, fill: role === 'LEADER' ? '#fff' : '#1d2330' }, 'node ' + node.id));
      g.appendChild(el('text', { x: x, y: y + 13, 'text-anchor': 'middle', 'font-size': 11, fill: role === 'LEADER' ? '#fff' : '#1d2330' },
        node.up ? 'term ' + node.term : 'down'));
      if (node.up) {
        g.appendChild(el('text', { x: x, y: y + 52, 'text-anchor': 'middle', 'font-size': 11 }, 'log ' + node.lastIndex + ', commit ' + node.commitIndex
          + (node.votedFor ? ', voted ' + node.votedFor : '') + (node.snapshotIndex > 0 ? ', snapshot ' + node.snapshotIndex : '')));
        const first = node.lastIndex - node.tail.length + 1;
        node.tail.forEach((term, k) => { // the last entries, oldest first: the term in each box, committed ones filled
          const index = first + k, bx = x - 4 * 9 + k * 9, by = y + 58;
          const box = el('rect', { x: bx, y: by, width: 8, height: 10, 'class': 'entry', 'data-index': index, 'data-term': term,
            fill: index <= node.commitIndex ? COLOURS[term % COLOURS.length] : '#ffffff', stroke: COLOURS[term % COLOURS.length] });
          box.appendChild(el('title', {}, 'entry ' + index + ', term ' + term + (index <= node.commitIndex ? ', committed' : '')));
          g.appendChild(box);
        });
      }
      view.appendChild(g);
    });
    drawMessages(state);
    const leaders = state.nodes.filter(x => x.up && x.role === 'LEADER');
    check(state, leaders);
    status.textContent = 't = ' + (state.now / 1000).toFixed(1) + ' s, seed ' + state.seed + ': '
      + (leaders.length ? leaders.map(l => 'node ' + l.id + ' leads term ' + l.term).join('; ') : 'no leader');
  }

  // The chapter's "try this" steps, ticked off when a state shows them done (and recorded as the learner's progress).
  let history = {};
  const pass = step => window.tries.pass(step);
  function check(state, leaders) {
    const h = history;
    const up = state.nodes.filter(x => x.up);
    if (leaders.length) pass('leader');
    for (const l of leaders) {
      if (h.leader && l.id !== h.leader.id && l.term > h.leader.term && h.killed) pass('new-leader');
      if (!h.leader || l.term > h.leader.term) h.leader = { id: l.id, term: l.term };
    }
    if (leaders.length >= 2 && new Set(leaders.map(l => l.term)).size >= 2) { pass('two-leaders'); h.twoLeaders = true; }
    if (h.twoLeaders && leaders.length === 1 && up.every(x => !x.cutFrom.length) && up.every(x => x.term === leaders[0].term)) pass('step-down');
    const majority = Math.floor(state.nodes.length / 2) + 1;
    for (const l of leaders) {
      if (l.commitIndex > 0 && h.put && up.filter(x => x.lastIndex >= l.commitIndex).length >= majority) pass('committed');
      if (l.cutFrom.length && l.lastIndex > l.commitIndex && leaders.some(o => o.term > l.term)) h.hollow = true;
    }
    if (h.hollow) pass('uncommitted');
    if (h.hollow && leaders.length === 1 && up.every(x => !x.cutFrom.length && x.lastIndex === leaders[0].lastIndex && x.commitIndex === leaders[0].commitIndex)
      && up.length === state.nodes.length) pass('replaced');
  }

  const queue = actions(() => id, state => draw(state), status);
  const act = (kind, arg, key) => queue.push({ kind, arg: arg || 0, key: key || '' });

  async function restartAll() {
    const state = await call('GET', '/api/demos/' + id);
    for (const node of state.nodes) if (!node.up) await act('restart', node.id);
  }

  root.querySelectorAll('button[data-do]').forEach(b => b.addEventListener('click', () => {
    const what = b.getAttribute('data-do');
    if (what === 'link') queue.push({ kind: 'link' }); // after the actions asked before it, so the link holds them all
    else if (what === 'play') playing = true;
    else if (what === 'pause') playing = false;
    else if (what === 'step') act('step', speed());
    else if (what === 'kill') { history.killed = true; act('kill', 0); }
    else if (what === 'isolate') act('isolate', 0);
    else if (what === 'heal') act('heal', 0);
    else if (what === 'partition') act('partition', 0, Array.from(root.querySelectorAll('input[data-side]:checked')).map(c => c.getAttribute('data-side')).join(','));
    else if (what === 'restart') restartAll();
    else if (what === 'put') { history.put = true; act('put', 0); }
  }));

  const speed = () => Number(document.getElementById('election-speed').value) || 50;
  setInterval(() => { if (playing && queue.idle()) act('step', speed()); }, 30);

  function start(code) {
    playing = false;
    id = null;
    queue.clear();
    history = {};
    create('election', Number(root.getAttribute('data-seed')) || 1, code)
      .then(made => { id = made.id; draw(made.state); root.setAttribute('data-demo', id); })
      .catch(e => { status.textContent = e.message; });
  }

  document.getElementById('election-code').addEventListener('change', e => start(e.target.value));
  start('reference');
})();
