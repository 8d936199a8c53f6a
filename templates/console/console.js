// The console's one script: focus follows what changed (for keyboard and screen-reader users), and a print button.
// Everything works without it; htmx only makes parts of pages update in place.
(function () {
  'use strict';
  function focusIn(root) {
    var target = root.querySelector('[data-focus]') || (root.matches && root.matches('[data-focus]') ? root : null);
    if (!target) return false;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
    return true;
  }
  document.addEventListener('DOMContentLoaded', function () {
    focusIn(document);
    document.addEventListener('click', function (event) {
      var button = event.target.closest && event.target.closest('[data-print]');
      if (button) { event.preventDefault(); window.print(); }
    });
  });
  document.addEventListener('htmx:afterSwap', function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.hasAttribute('data-live')) return;
    // A form redrawn after a choice changed: the focus stays on the choice just made.
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (trigger && trigger.id && trigger.tagName !== 'FORM') {
      var same = document.getElementById(trigger.id);
      if (same) { same.focus(); return; }
    }
    if (!focusIn(target)) {
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
    }
  });
})();
