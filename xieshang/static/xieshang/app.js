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

// A workflow step marked data-confirm asks before its form is sent (without JavaScript the form
// is simply sent).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
