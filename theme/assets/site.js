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
  mark();
  markElderly();
  var printButtons = document.querySelectorAll(".print-button");
  for (var j = 0; j < printButtons.length; j++) { printButtons[j].hidden = false; }
})();
