// Chapters 0 and 5's live demo: lab 5's control plane in the kit's simulator on the server, drawn in SVG:
// the store's members, the API server, the schedulers and controller managers, the nodes and their pods.
(function () {
  const root = document.getElementById('controlplane-demo');
  if (!root) return;
  const { el, create, actions } = window.demoKit;
  const view = document.getElementById('controlplane-view');
  const status = document.getElementById('controlplane-status');
  const keysTable = document.getElementById('controlplane-keys');
  let id = null, playing = false, history = {};
  const PHASE = { Running: '#27ae60', Pending: '#f1c75b' };



  function box(g, x, y, w, h, fill, stroke, lines, dashed) {
    g.appendChild(el('rect', { x, y, width: w, height: h, rx: 6, fill, stroke: stroke || '#23324d', 'stroke-width': 2, 'stroke-dasharray': dashed ? '5 4' : '' }));
    lines.forEach((t, i) => g.appendChild(el('text', { x: x + w / 2, y: y + 16 + i * 14, 'text-anchor': 'middle', 'font-size': i ? 10 : 12,
      fill: fill === '#2f6fd6' ? '#fff' : '#1d2330' }, t)));
  }

  function pod(g, p, x, y) {
    const c = el('g', { 'class': 'pod', 'data-name': p.name, 'data-phase': p.phase, 'data-deleting': p.deleting });
    c.appendChild(el('rect', { x, y, width: 64, height: 18, rx: 9, fill: p.deleting ? '#d9d9d9' : PHASE[p.phase] || '#cfd6e4', stroke: '#23324d' }));
    c.appendChild(el('text', { x: x + 32, y: y + 13, 'text-anchor': 'middle', 'font-size': 9 }, p.name.length > 12 ? p.name.slice(0, 11) + '\u2026' : p.name));
    c.appendChild(el('title', {}, p.name + ': ' + (p.deleting ? 'being deleted' : p.phase) + ', resourceVersion ' + p.resourceVersion + (p.owner ? ', of ReplicaSet ' + p.owner : '')));
    g.appendChild(c);
  }

  function draw(state) {
    while (view.firstChild) view.removeChild(view.firstChild);
    const g = el('g', {});
    // the store
    state.members.forEach((m, i) => {
      const leader = m.up && m.role === 'LEADER';
      const mg = el('g', { 'class': 'member', 'data-id': m.id, 'data-role': m.up ? m.role : 'DOWN' });
      box(mg, 10 + i * 88, 10, 84, 40, leader ? '#2f6fd6' : m.up ? '#fff' : '#d9d9d9', null,
        ['etcd ' + m.id, m.up ? m.role.toLowerCase() + ', term ' + m.term : 'down'], !m.up);
      g.appendChild(mg);
    });
    g.appendChild(el('text', { x: 10, y: 66, 'font-size': 11 }, 'the store at revision ' + state.revision));
    box(g, 286, 10, 150, 40, '#eef1f7', null, ['API server', 'keeps nothing: all in etcd']);
    g.appendChild(el('line', { x1: 272, y1: 30, x2: 286, y2: 30, stroke: '#23324d', 'stroke-width': 2 }));
    // the leader-elected components
    state.components.forEach((c, i) => {
      const cg = el('g', { 'class': 'component', 'data-name': c.name, 'data-leads': c.leads, 'data-alive': c.alive });
      box(cg, 452 + (i % 2) * 150, 4 + Math.floor(i / 2) * 40, 144, 34, c.leads ? '#2f6fd6' : c.alive ? '#fff' : '#d9d9d9', null,
        [c.name, !c.alive ? 'killed' : c.leads ? 'leads (holds the Lease)' : 'standby'], !c.alive);
      g.appendChild(cg);
    });
    // the nodes and their pods
    state.nodes.forEach((n, i) => {
      const x = 10 + i * 250, y = 96;
      const ng = el('g', { 'class': 'node', 'data-name': n.name, 'data-ready': n.ready, 'data-kubelet': n.kubelet });
      box(ng, x, y, 240, 150, n.ready ? '#fff' : '#fbe3e0', n.ready ? '#23324d' : '#c0392b',
        [n.name + (n.ready ? ' (Ready)' : ' (NotReady)'), n.kubelet ? 'kubelet alive' : 'kubelet dead'], !n.kubelet);
      n.pods.forEach((p, k) => pod(ng, p, x + 8 + (k % 3) * 76, y + 40 + Math.floor(k / 3) * 24));
      g.appendChild(ng);
    });
    g.appendChild(el('text', { x: 10, y: 270, 'font-size': 11 }, 'not scheduled yet:' + (state.pending.length ? '' : ' none')));
    state.pending.forEach((p, k) => pod(g, p, 120 + k * 70, 258));
    state.replicaSets.forEach((rs, k) => g.appendChild(el('text', { x: 10, y: 300 + k * 14, 'font-size': 11, 'class': 'replicaset', 'data-ready': rs.readyReplicas },
      'ReplicaSet ' + rs.name + ': ' + rs.replicas + ' wanted, ' + rs.readyReplicas + ' ready')));
    view.appendChild(g);

    while (keysTable.firstChild) keysTable.removeChild(keysTable.firstChild);
    for (const k of state.keys) {
      const tr = document.createElement('tr');
      const a = document.createElement('td'), b = document.createElement('td');
      a.textContent = k.revision;
      b.textContent = k.key;
      tr.append(a, b);
      keysTable.appendChild(tr);
    }
    document.getElementById('controlplane-behind').textContent = 'Informers whose cache is behind the store right now (each catches up as its watch delivers): '
      + (state.behind.length ? state.behind.join('; ') : 'none');
    status.textContent = 't = ' + (state.now / 1000).toFixed(1) + ' s, seed ' + state.seed + (state.last ? '. Last: ' + state.last : '');
    check(state);
  }

  function check(state) {
    const pass = step => window.tries.pass(step);
    const pods = state.nodes.flatMap(n => n.pods);
    if (history.pod && state.keys.some(k => k.key === '/registry/pods/default/' + history.pod)) pass('pod-key');
    if (history.pod && pods.some(p => p.name === history.pod && p.phase === 'Running')) pass('bound');
    const web = state.replicaSets.find(r => r.name === 'web');
    const settled = web && web.readyReplicas === web.replicas && web.replicas > 0;
    if (settled) pass('scale');
    const deadNode = state.nodes.find(n => !n.kubelet);
    if (deadNode && !deadNode.ready && settled && deadNode.pods.every(p => p.deleting)) pass('node-dies');
    if (history.storeKilled && settled && web.replicas !== history.replicasAtStoreKill) pass('store-leader');
    const leads = prefix => state.components.filter(c => c.name.startsWith(prefix) && c.leads).map(c => c.name);
    if (history.killedScheduler && leads('scheduler').length && !leads('scheduler').includes(history.killedScheduler)) pass('scheduler-failover');
    if (history.killedManager && leads('controller').length && !leads('controller').includes(history.killedManager)) pass('manager-failover');
    history.last = state;
  }

  const queue = actions(() => id, state => draw(state), status);
  const act = action => queue.push(action);

  root.querySelectorAll('button[data-do]').forEach(b => b.addEventListener('click', () => {
    const what = b.getAttribute('data-do');
    if (what === 'link') { queue.push({ kind: 'link' }); return; } // after the actions asked before it, so the link holds them all
    const last = history.last;
    const leader = prefix => last ? (last.components.find(c => c.name.startsWith(prefix) && c.leads) || {}).name : undefined;
    if (what === 'play') playing = true;
    else if (what === 'pause') playing = false;
    else if (what === 'replicaset') {
      if (history.storeKilled && history.replicasAtStoreKill === undefined) history.replicasAtStoreKill = ((last && last.replicaSets.find(r => r.name === 'web')) || {}).replicas;
      act({ kind: 'replicaset', arg: Number(document.getElementById('controlplane-replicas').value) || 0 });
    }
    else if (what === 'pod') { history.pod = document.getElementById('controlplane-pod').value; act({ kind: 'pod', key: history.pod }); }
    else if (what === 'kill-scheduler') { history.killedScheduler = leader('scheduler'); act({ kind: what }); }
    else if (what === 'kill-manager') { history.killedManager = leader('controller'); act({ kind: what }); }
    else if (what === 'kill-kubelet') act({ kind: what, arg: Number(document.getElementById('controlplane-node').value) });
    else if (what === 'kill-store-leader') { history.storeKilled = true; act({ kind: what }); }
  }));

  setInterval(() => { if (playing && queue.idle()) act({ kind: 'step', arg: 500 }); }, 30);

  function start(code) {
    playing = false;
    id = null;
    queue.clear();
    history = {};
    status.textContent = 'Starting the control plane in the simulator...';
    create('controlplane', Number(root.getAttribute('data-seed')) || 1, code)
      .then(made => { id = made.id; draw(made.state); root.setAttribute('data-demo', id); })
      .catch(e => { status.textContent = e.message; });
  }

  document.getElementById('controlplane-code').addEventListener('change', e => start(e.target.value));
  start('reference');
})();
