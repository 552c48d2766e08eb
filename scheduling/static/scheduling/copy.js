// A copy button for the calendar address (progressive enhancement: without JavaScript the
// button stays hidden and the address can be selected and copied by hand). The result is
// announced politely through the aria-live status next to the button.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var row = button.closest("[data-copy-row]");
    var status = row ? row.querySelector("[data-copy-status]") : null;
    if (!field || !row) {
      return;
    }
    row.hidden = false;
    function say(text) {
      if (status) {
        status.textContent = "";
        // A fresh text, so that a second copy is announced again.
        window.setTimeout(function () { status.textContent = text; }, 50);
      }
    }
    function fallback() {
      field.focus();
      field.select();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      say(button.getAttribute(copied ? "data-copied-text" : "data-failed-text"));
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          say(button.getAttribute("data-copied-text"));
        }, fallback);
      } else {
        fallback();
      }
    });
  });
})();
