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
  // Fields that belong to some choices only (a decision's 公开方式 to 予以公开): shown and hidden as the choice changes.
  // Without this script they all stay visible, and the server's answer names any that is missing.
  function followChoices(root) {
    var controls = root.querySelectorAll('.control');
    for (var i = 0; i < controls.length; i++) {
      var control = controls[i];
      var shown = true;
      for (var j = 0; j < control.attributes.length; j++) {
        var attribute = control.attributes[j];
        if (attribute.name.indexOf('data-show-when-') !== 0) continue;
        var name = attribute.name.slice('data-show-when-'.length);
        var value = chosen(control.closest('form'), name);
        if (value !== null && attribute.value.split(' ').indexOf(value) < 0) shown = false;
      }
      control.hidden = !shown;
      var inputs = control.querySelectorAll('input, select, textarea');
      for (var k = 0; k < inputs.length; k++) inputs[k].disabled = !shown;
    }
  }
  function chosen(form, name) {
    if (!form) return null;
    var fields = form.querySelectorAll('[name]');
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.name.toLowerCase() !== name) continue;
      if (field.type === 'radio') { if (field.checked) return field.value; continue; }
      return field.value || null;
    }
    return null;
  }
  document.addEventListener('change', function (event) {
    var form = event.target.closest && event.target.closest('form');
    if (form) followChoices(form);
  });
  document.addEventListener('DOMContentLoaded', function () {
    followChoices(document);
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
