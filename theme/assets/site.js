/* Font-size control and 长辈模式 (both remembered), and the print button. The pages work without this file. */
(function () {
  "use strict";
  var root = document.documentElement;
  function current() { return root.getAttribute("data-font-size") || "medium"; }
  function mark() {
    var buttons = document.querySelectorAll("[data-font-size]");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].tagName === "BUTTON") {
        buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-font-size") === current()));
      }
    }
  }
  function markElderly() {
    var toggles = document.querySelectorAll(".elderly-toggle");
    for (var i = 0; i < toggles.length; i++) {
      toggles[i].setAttribute("aria-pressed", String(root.getAttribute("data-elderly") === "on"));
    }
  }
  document.addEventListener("click", function (event) {
    var elderly = event.target.closest ? event.target.closest(".elderly-toggle") : null;
    if (elderly) {
      var on = root.getAttribute("data-elderly") !== "on";
      if (on) { root.setAttribute("data-elderly", "on"); } else { root.removeAttribute("data-elderly"); }
      try { localStorage.setItem("elderly", on ? "on" : "off"); } catch (e) { /* not remembered */ }
      markElderly();
    }
    var button = event.target.closest ? event.target.closest("button[data-font-size]") : null;
    if (button) {
      var size = button.getAttribute("data-font-size");
      root.setAttribute("data-font-size", size);
      try { localStorage.setItem("font-size", size); } catch (e) { /* private mode: not remembered */ }
      mark();
    }
    if (event.target.closest && event.target.closest(".print-button")) { window.print(); }
  });
  // A wide table scrolls inside its box; the box says so (and gets a shadow) only when it does.
  function markScrolling() {
    var boxes = document.querySelectorAll(".table-scroll");
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].classList.toggle("scrolls", boxes[i].scrollWidth > boxes[i].clientWidth + 1);
    }
  }
  window.addEventListener("resize", markScrolling);
  document.addEventListener("click", function () { window.setTimeout(markScrolling, 0); });
  // The printed page says where it came from and when it was printed.
  function printLine() {
    var urls = document.querySelectorAll(".print-url"), dates = document.querySelectorAll(".print-date");
    var today = new Date(), text = today.getFullYear() + "年" + (today.getMonth() + 1) + "月" + today.getDate() + "日";
    for (var k = 0; k < urls.length; k++) { urls[k].textContent = location.href; }
    for (var d = 0; d < dates.length; d++) { dates[d].textContent = text; }
  }
  window.addEventListener("beforeprint", printLine);
  printLine();
  mark();
  markElderly();
  markScrolling();
  var printButtons = document.querySelectorAll(".print-button");
  for (var j = 0; j < printButtons.length; j++) { printButtons[j].hidden = false; }
})();
