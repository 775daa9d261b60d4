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
