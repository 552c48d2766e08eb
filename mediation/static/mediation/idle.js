// The idle warning (WCAG 2.2.1 Timing Adjustable). The server signs a user out after a while
// without a request (mediation/idle.py); a few minutes before, this puts a modal dialog on the
// page (from its <template>, partials/_idle_warning.html) that says when, with a button to stay
// signed in. The dialog is an alertdialog: opening it moves the
// focus to its button, and screen readers read its title and text. Escape counts as "stay".
//
// Asking the server for the time left (a GET) does not count as activity, so this script never
// keeps a session alive by itself; only the button (a POST) and real requests do. Without
// JavaScript the dialog never opens and the server's timeout still holds.
(function () {
  "use strict";
  var source = document.getElementById("idle-warning-template");
  if (!source || !source.content || !window.fetch) {
    return;
  }
  var dialog = document.importNode(source.content, true).querySelector("dialog");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var sessionUrl = source.getAttribute("data-session-url");
  var loginUrl = source.getAttribute("data-login-url");
  var warning = Number(source.getAttribute("data-warning")) * 1000;
  var form = dialog.querySelector("form");
  var text = dialog.querySelector("#idle-warning-text");
  var template = text.getAttribute("data-template");
  var deadline = 0;
  var timer = null;
  var returnFocus = null;
  var RETRY = 30000; // after a network error, ask again this much later

  function signedOut(url) {
    var here = window.location.pathname + window.location.search;
    window.location.assign((url || loginUrl) + "?next=" + encodeURIComponent(here));
  }

  function open() {
    if (dialog.open) {
      return;
    }
    var lang = document.documentElement.lang || undefined;
    var time = new Date(deadline).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
    text.textContent = template.replace("{time}", time);
    returnFocus = document.activeElement;
    if (!dialog.isConnected) {
      document.body.appendChild(dialog);
    }
    dialog.showModal();
  }

  function close() {
    if (!dialog.open) {
      return;
    }
    dialog.close();
    dialog.remove(); // out of the page again until the next warning
    if (returnFocus && typeof returnFocus.focus === "function") {
      returnFocus.focus();
    }
  }

  // Plan the next look at the clock: the warning's moment, or (with the dialog open) the end.
  function schedule(remaining) {
    deadline = Date.now() + remaining;
    window.clearTimeout(timer);
    if (remaining > warning) {
      timer = window.setTimeout(check, remaining - warning);
    } else {
      open();
      timer = window.setTimeout(check, remaining + 500);
    }
  }

  // What the server says: signed out, or the seconds left (another tab may have used them).
  function follow(state) {
    if (!state.signed_in) {
      signedOut(state.login_url);
      return;
    }
    if (state.remaining * 1000 > warning) {
      close();
    }
    schedule(state.remaining * 1000);
  }

  function retryLater() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, RETRY);
  }

  function check() {
    window.fetch(sessionUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" }
    }).then(function (response) { return response.json(); }).then(follow, retryLater);
  }

  function stay() {
    window.fetch(sessionUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      body: new FormData(form)
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    }).then(function (state) {
      if (state.signed_in) {
        close();
      }
      follow(state);
    }, function () {
      // The session or its token is gone: the login page says why.
      signedOut(loginUrl);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    stay();
  });
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    stay();
  });
  // A computer that slept lets timers run late: look again when the page is shown.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && Date.now() >= deadline - warning) {
      check();
    }
  });
  schedule(Number(source.getAttribute("data-remaining")) * 1000);
})();
