// 区分处理: drawing a region on a page's image fills the marking form (page and position as percentages of the page);
// the handler then chooses the reason and submits. Without this script the form is filled by hand: nothing else depends on it.
(function () {
  'use strict';
  var form = document.getElementById('region-form');
  if (!form) return;
  var field = function (name) { return form.querySelector('[name="' + name + '"]'); };
  var pending = null;

  function clamp(value) { return Math.min(1, Math.max(0, value)); }
  function percent(value) { return (Math.round(value * 10000) / 100).toFixed(2); }

  function pointIn(canvas, event) {
    var rect = canvas.getBoundingClientRect();
    return { x: clamp((event.clientX - rect.left) / rect.width), y: clamp((event.clientY - rect.top) / rect.height) };
  }

  function place(box, start, end) {
    box.style.left = percent(Math.min(start.x, end.x)) + '%';
    box.style.top = percent(Math.min(start.y, end.y)) + '%';
    box.style.width = percent(Math.abs(end.x - start.x)) + '%';
    box.style.height = percent(Math.abs(end.y - start.y)) + '%';
  }

  function fill(page, start, end) {
    field('page').value = page;
    field('left').value = percent(Math.min(start.x, end.x));
    field('top').value = percent(Math.min(start.y, end.y));
    field('width').value = percent(Math.abs(end.x - start.x));
    field('height').value = percent(Math.abs(end.y - start.y));
    var reason = field('reason');
    reason.scrollIntoView({ block: 'nearest' });
    reason.focus();
  }

  var canvases = document.querySelectorAll('[data-redaction-page]');
  Array.prototype.forEach.call(canvases, function (canvas) {
    var start = null;
    var box = null;
    canvas.addEventListener('dragstart', function (event) { event.preventDefault(); });
    canvas.addEventListener('pointerdown', function (event) {
      if (event.button !== 0) return;
      event.preventDefault();
      if (pending && pending.parentNode) pending.parentNode.removeChild(pending);
      start = pointIn(canvas, event);
      box = document.createElement('div');
      box.className = 'redaction-box drawing';
      box.setAttribute('aria-hidden', 'true');
      place(box, start, start);
      canvas.appendChild(box);
      if (canvas.setPointerCapture) canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener('pointermove', function (event) {
      if (start) place(box, start, pointIn(canvas, event));
    });
    canvas.addEventListener('pointerup', function (event) {
      if (!start) return;
      var end = pointIn(canvas, event);
      var from = start;
      start = null;
      // A click, not a drag: nothing to mark.
      if (Math.abs(end.x - from.x) < 0.003 || Math.abs(end.y - from.y) < 0.003) { canvas.removeChild(box); return; }
      place(box, from, end);
      pending = box;
      fill(canvas.getAttribute('data-redaction-page'), from, end);
    });
  });
})();
