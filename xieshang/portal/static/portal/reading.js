// Time on a learning-library article: count the seconds the page is visible and report them
// when the reader hides or leaves it (navigator.sendBeacon survives the page closing). The
// server credits no more than the time since the page was opened. Without JavaScript the
// "mark as read" form still works, and is credited the time since opening.
(function () {
  "use strict";
  var box = document.querySelector("[data-reading]");
  if (!box) return;
  var url = box.getAttribute("data-url");
  var token = box.getAttribute("data-token");
  var csrf = box.querySelector("input[name=csrfmiddlewaretoken]");
  var form = box.querySelector("form");
  var since = document.visibilityState === "visible" ? Date.now() : null;
  var pending = 0;

  function pause() {
    if (since !== null) { pending += Date.now() - since; since = null; }
  }

  function take() {
    pause();
    var seconds = Math.floor(pending / 1000);
    pending -= seconds * 1000;
    return seconds;
  }

  function report() {
    var seconds = take();
    if (seconds < 1 || !navigator.sendBeacon) return;
    var data = new FormData();
    data.append("token", token);
    data.append("seconds", String(seconds));
    if (csrf) data.append("csrfmiddlewaretoken", csrf.value);
    navigator.sendBeacon(url, data);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") report();
    else if (since === null) since = Date.now();
  });
  window.addEventListener("pagehide", report);

  // "Mark as read" carries the visible time itself, so leaving the page adds nothing twice.
  if (form) {
    form.addEventListener("submit", function () {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = "seconds";
      field.value = String(take());
      form.appendChild(field);
    });
  }
})();
