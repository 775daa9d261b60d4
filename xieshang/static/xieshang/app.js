// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("htmx:responseError", function (event) {
  var box = document.querySelector(".messages") || document.createElement("ul");
  box.className = "messages";
  var item = document.createElement("li");
  item.className = "msg msg-error";
  item.textContent = document.documentElement.lang === "en"
    ? "The request failed. Please try again."
    : "操作未完成，请稍后再试。";
  box.appendChild(item);
  document.getElementById("main").prepend(box);
});

// A navigation bar wider than a phone scrolls sideways: keep the current item in view and fade
// the right edge while more items are hidden there.
document.addEventListener("DOMContentLoaded", function () {
  var nav = document.querySelector("[data-scroll-nav]");
  if (!nav) return;
  var current = nav.querySelector("[aria-current=page]");
  if (current && current.offsetLeft + current.offsetWidth > nav.clientWidth) {
    nav.scrollLeft = current.offsetLeft - 12;
  }
  function mark() {
    nav.classList.toggle("has-more", nav.scrollLeft + nav.clientWidth < nav.scrollWidth - 4);
  }
  nav.addEventListener("scroll", mark, { passive: true });
  window.addEventListener("resize", mark);
  mark();

  // On a phone the menu wraps onto rows. One of up to four rows (a member's) is left whole; a
  // longer one (the chair's, the office's) shows two rows with the current item, and a last
  // button opens every item in place (and closes them again).
  var links = Array.from(nav.querySelectorAll("a"));
  var toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "navtoggle";
  toggle.hidden = true;
  // Named from the start: a nameless button, even hidden, fails the accessibility check.
  toggle.textContent = nav.dataset.more || "";
  nav.appendChild(toggle);
  var open = false;
  function rows() {
    var tops = [];
    links.concat([toggle]).forEach(function (e) {
      if (e.offsetParent && tops.indexOf(e.offsetTop) === -1) tops.push(e.offsetTop);
    });
    return tops.length;
  }
  function fold() {
    links.forEach(function (a) { a.classList.remove("folded"); });
    toggle.hidden = true;
    if (!window.matchMedia("(max-width: 640px)").matches || rows() <= 4) return;
    toggle.hidden = false;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.textContent = open ? nav.dataset.less : nav.dataset.more;
    if (open) return;
    for (var i = links.length - 1; i > 0 && rows() > 2; i--) {
      if (links[i].getAttribute("aria-current") !== "page") links[i].classList.add("folded");
    }
  }
  toggle.addEventListener("click", function () { open = !open; fold(); });
  window.addEventListener("resize", fold);
  fold();
});

// Selects marked data-autosubmit submit their form on change (no inline handlers: the
// Content-Security-Policy allows scripts from our own files only).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});

// A form marked data-confirm (a step that cannot be undone) asks in a dialog before it is sent:
// the question and both buttons come from the page (data-confirm, -yes, -no), no inline script
// (the Content-Security-Policy allows our own files only). Without JavaScript the form is sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm || form.dataset.confirmed) return;
  event.preventDefault();
  if (typeof HTMLDialogElement !== "function") {
    if (window.confirm(form.dataset.confirm)) { form.dataset.confirmed = "1"; form.requestSubmit(); }
    return;
  }
  var dialog = document.createElement("dialog");
  dialog.className = "confirm-dialog";
  dialog.setAttribute("aria-labelledby", "confirm-q");
  var question = document.createElement("p");
  question.id = "confirm-q";
  question.textContent = form.dataset.confirm;
  var buttons = document.createElement("div");
  buttons.className = "actions";
  var no = document.createElement("button");
  no.type = "button"; no.className = "btn"; no.textContent = form.dataset.confirmNo || "×";
  var yes = document.createElement("button");
  yes.type = "button"; yes.className = "btn danger"; yes.textContent = form.dataset.confirmYes || "OK";
  buttons.append(no, yes);
  dialog.append(question, buttons);
  document.body.appendChild(dialog);
  no.addEventListener("click", function () { dialog.close(); });
  yes.addEventListener("click", function () {
    dialog.close();
    form.dataset.confirmed = "1";
    form.requestSubmit(event.submitter || undefined);
  });
  dialog.addEventListener("close", function () { dialog.remove(); });
  dialog.showModal();
  no.focus();
});

// A select marked data-picker (core.widgets.Picker: a choice among many members; the 并案
// target among a session's proposals) becomes a search box, the chosen ones as removable tags
// and the matching choices as check boxes (radio buttons for a single choice). The select stays
// in the form, hidden, and carries the value; its words come from data-*. A required one that
// is left empty says so at the search box (a hidden control cannot show the browser's bubble).
document.addEventListener("DOMContentLoaded", function () {
  var LIMIT = 30;
  document.querySelectorAll("select[data-picker]").forEach(function (select) {
    var multiple = select.multiple;
    var box = document.createElement("div");
    box.className = "picker";
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = select.dataset.placeholder || "";
    if (select.id) search.id = select.id + "-search";
    var help = select.getAttribute("aria-describedby");
    if (help) search.setAttribute("aria-describedby", help);
    var chosen = document.createElement("ul");
    chosen.className = "picker-chosen";
    chosen.setAttribute("aria-label", select.dataset.chosen || "");
    var list = document.createElement("ul");
    list.className = "picker-list";
    var note = document.createElement("p");
    note.className = "muted picker-note";
    note.setAttribute("aria-live", "polite");
    box.append(search, chosen, list, note);
    select.hidden = true;
    select.after(box);
    // The field's label now names the search box.
    var label = select.id && document.querySelector("label[for='" + select.id + "']");
    if (label) label.htmlFor = search.id;
    else search.setAttribute("aria-label", search.placeholder);

    function words(option) {
      return (option.textContent + " " + (option.dataset.search || "")).toLowerCase();
    }
    function changed() {
      search.setCustomValidity("");
      select.dispatchEvent(new Event("change", { bubbles: true }));
      draw();
    }
    function draw() {
      chosen.textContent = "";
      Array.from(select.selectedOptions).filter(function (option) {
        return option.value;
      }).forEach(function (option) {
        var item = document.createElement("li");
        item.className = "tag";
        item.textContent = option.textContent + " ";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "linklike";
        remove.textContent = "×";
        remove.setAttribute("aria-label", (select.dataset.remove || "") + " " + option.textContent);
        remove.addEventListener("click", function () {
          option.selected = false;
          if (!multiple) select.value = "";
          changed();
        });
        item.appendChild(remove);
        chosen.appendChild(item);
      });
      var query = search.value.trim().toLowerCase();
      var found = Array.from(select.options).filter(function (option) {
        return option.value && (!query || words(option).indexOf(query) !== -1);
      });
      list.textContent = "";
      found.slice(0, LIMIT).forEach(function (option) {
        var item = document.createElement("li");
        var lab = document.createElement("label");
        var check = document.createElement("input");
        check.type = multiple ? "checkbox" : "radio";
        if (!multiple) check.name = (select.name || "pick") + "-picker";
        check.checked = option.selected;
        check.addEventListener("change", function () {
          if (multiple) option.selected = check.checked;
          else select.value = option.value;
          changed();
        });
        lab.append(check, " " + option.textContent);
        item.appendChild(lab);
        list.appendChild(item);
      });
      note.textContent = !found.length ? (select.dataset.none || "")
        : found.length > LIMIT ? (select.dataset.more || "").replace("{n}", String(found.length - LIMIT)) : "";
    }
    search.addEventListener("input", draw);
    select.addEventListener("invalid", function (event) {
      event.preventDefault();
      search.setCustomValidity(select.dataset.required || select.validationMessage);
      search.reportValidity();
    });
    // Enter in the search box must not send the whole form.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    draw();
  });
});
