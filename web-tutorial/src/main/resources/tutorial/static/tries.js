// A chapter's "try this" steps (ul.tries, one li[data-step] each): a demo's script calls tries.pass(step)
// when a state shows the step done; it is ticked off and recorded as the learner's progress, once.
window.tries = (function () {
  const list = document.querySelector('ul.tries');
  return {
    pass(step) {
      const li = list && list.querySelector('li[data-step="' + step + '"]');
      if (!li || li.classList.contains('passed')) return;
      li.classList.add('passed');
      fetch('/api/progress/tried', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ chapter: Number(list.getAttribute('data-chapter')), step }) }).catch(() => {});
    }
  };
})();
