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
