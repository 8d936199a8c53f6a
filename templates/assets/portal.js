// The portal works without JavaScript; this only adds what a page cannot do by itself: the print button (an inline
// onclick would be refused by the Content-Security-Policy), shown only where it works.
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      window.print();
    });
  });
  document.querySelectorAll('[data-print-hint]').forEach(function (hint) {
    hint.hidden = true;
  });
  // After a refused form, the error summary takes the focus so a screen reader reads it first (GOV.UK pattern).
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();
});
