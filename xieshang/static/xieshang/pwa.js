// The installable app: registers the service worker (/sw.js), offers installation on the
// member's home, and keeps offline drafts of the forms marked data-offline-draft.
//
// Offline drafts: while the device has no network, what is typed in such a form is kept in
// localStorage (key "xs-draft:<user id>:<form path>"), with the record's version as the form
// showed it (the hidden base_version field). When the network is back (the "online" event, or
// the next page opened while online) each pending draft is POSTed to its form with
// offline_sync=1; the server answers with a redirect (saved), 409 (the record changed on the
// server since: a conflict, the local copy is kept and shown in the form), or the form again
// (refused: the local copy is kept and shown). Every text shown comes from the page
// (#offline-status data-*), so it is translated like the rest.
(function () {
  "use strict";
  var PREFIX = "xs-draft:";
  var status = null;
  var sending = {};  // keys being sent now: an "online" event twice must not send twice

  function text(name) {
    return (status && status.getAttribute("data-text-" + name)) || "";
  }

  function show(message, kind, link) {
    if (!status || !message) return;
    status.textContent = message;
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = text("open");
      status.appendChild(document.createTextNode(" "));
      status.appendChild(a);
    }
    status.className = "msg msg-" + (kind || "info");
    status.hidden = false;
  }

  function userId() {
    return status ? status.getAttribute("data-user") || "" : "";
  }

  function keyFor(form) {
    var url = new URL(form.getAttribute("action") || location.pathname, location.href);
    return PREFIX + userId() + ":" + url.pathname;
  }

  function load(key) {
    try {
      return JSON.parse(localStorage.getItem(key) || "null");
    } catch (e) {
      return null;
    }
  }

  function fieldsOf(form) {
    var out = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken" && name !== "base_version") {
        out.push([name, value]);
      }
    });
    return out;
  }

  // state: "local" (kept, not to be sent by itself), "pending" (to be sent when online),
  // "conflict" or "refused" (the server did not take it; shown in the form).
  function store(form, submitted) {
    var key = keyFor(form);
    var old = load(key);
    var pending = submitted || form.hasAttribute("data-offline-auto") ||
      (old && old.state === "pending");
    var base = form.querySelector("[name=base_version]");
    var draft = {
      action: new URL(form.getAttribute("action") || location.pathname, location.href).pathname,
      fields: fieldsOf(form),
      base: old && (old.state === "local" || old.state === "pending") ? old.base
        : (base ? base.value : ""),
      submit: form.getAttribute("data-offline-draft") || "",
      state: pending ? "pending" : "local", at: Date.now()
    };
    try {
      localStorage.setItem(key, JSON.stringify(draft));
    } catch (e) {
      return false;
    }
    return true;
  }

  function restore(form, draft) {
    var values = {};
    draft.fields.forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "file" || el.type === "submit") return;
      var got = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = got.indexOf(el.value) >= 0;
      } else if (el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = got.indexOf(o.value) >= 0;
        });
      } else if (got.length) {
        el.value = got[0];
      }
    });
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function send(key, draft) {
    if (sending[key]) return;
    sending[key] = true;
    var body = new FormData();
    draft.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.set("csrfmiddlewaretoken", csrfToken());
    body.set("offline_sync", "1");
    if (draft.base !== "") body.set("base_version", draft.base);
    if (draft.submit) body.set(draft.submit, "1");
    return fetch(draft.action, {method: "POST", body: body, credentials: "same-origin"})
      .then(function (response) {
        if (response.status === 409) {
          draft.state = "conflict";
          localStorage.setItem(key, JSON.stringify(draft));
          show(text("conflict"), "warning", draft.action);
        } else if (response.ok && response.redirected) {
          localStorage.removeItem(key);
          show(text("sent"), "success", response.url);
        } else {
          draft.state = "refused";
          localStorage.setItem(key, JSON.stringify(draft));
          show(text("refused"), "error", draft.action);
        }
      })
      .catch(function () { /* still no network: try again at the next "online" */ })
      .then(function () { delete sending[key]; });
  }

  function syncAll() {
    if (!navigator.onLine || !status) return;
    var mine = PREFIX + userId() + ":";
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var key = localStorage.key(i);
      if (!key || key.indexOf(mine) !== 0) continue;
      var draft = load(key);
      if (draft && draft.state === "pending") send(key, draft);
    }
  }

  function setUpForm(form) {
    var key = keyFor(form);
    var draft = load(key);
    if (draft) {
      restore(form, draft);
      if (draft.state === "conflict") show(text("conflict-here"), "warning");
      else if (draft.state === "refused") show(text("refused-here"), "error");
      else show(text(draft.state === "pending" ? "kept" : "local"), "info");
    }
    form.addEventListener("input", function () {
      if (!navigator.onLine) store(form, false);
    });
    form.addEventListener("change", function () {
      if (!navigator.onLine) store(form, false);
    });
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) {
        // Sent the ordinary way: the page that answers shows what became of it.
        localStorage.removeItem(key);
        return;
      }
      event.preventDefault();
      if (store(form, true)) show(text("kept"), "info");
    });
  }

  function setUpInstall() {
    var deferred = null;
    var boxes = document.querySelectorAll("[data-install-app]");
    window.addEventListener("beforeinstallprompt", function (event) {
      event.preventDefault();
      deferred = event;
      Array.prototype.forEach.call(boxes, function (box) { box.hidden = false; });
    });
    window.addEventListener("appinstalled", function () {
      Array.prototype.forEach.call(boxes, function (box) { box.hidden = true; });
    });
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-install-button]");
      if (!button || !deferred) return;
      deferred.prompt();
      deferred = null;
      Array.prototype.forEach.call(boxes, function (box) { box.hidden = true; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    status = document.getElementById("offline-status");
    var root = document.documentElement;
    if ("serviceWorker" in navigator && root.getAttribute("data-sw")) {
      navigator.serviceWorker.register(root.getAttribute("data-sw"), {scope: "/"})
        .catch(function () { /* an old browser or plain http: the site works without it */ });
    }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-offline-draft]"), setUpForm);
    // Leaving: the pages the worker kept go with the session.
    Array.prototype.forEach.call(document.querySelectorAll("form[data-logout]"), function (f) {
      f.addEventListener("submit", function () {
        if (navigator.serviceWorker && navigator.serviceWorker.controller) {
          navigator.serviceWorker.controller.postMessage("forget-pages");
        }
      });
    });
    window.addEventListener("online", syncAll);
    window.addEventListener("offline", function () { show(text("offline"), "info"); });
    setUpInstall();
    syncAll();
  });
})();
