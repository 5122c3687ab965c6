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
  // Opened from a search result (?hl=words): the words are marked in the report and the first
  // one in the linked section is scrolled to (browsers without text fragments get the same).
  function highlight() {
    var body = document.querySelector(".report-body, .report");
    var wanted = window.URLSearchParams ? new URLSearchParams(location.search).get("hl") : null;
    if (!body || !wanted) { return; }
    var fold = function (ch) { var f = (ch.normalize ? ch.normalize("NFKC") : ch).toLowerCase(); return Array.from(f).length === 1 ? f : ch; };
    var words = wanted.split(" ").filter(Boolean).map(function (w) { return Array.from(w); });
    var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT), nodes = [], node;
    while ((node = walker.nextNode())) { nodes.push(node); }
    nodes.forEach(function (text) {
      var chars = Array.from(text.data), folded = chars.map(fold), cuts = [], i = 0;
      while (i < folded.length) {
        var hit = 0;
        words.forEach(function (w) {
          if (w.length > hit && w.every(function (c, k) { return folded[i + k] === c; })) { hit = w.length; }
        });
        if (hit) { cuts.push([i, i + hit]); i += hit; } else { i++; }
      }
      if (!cuts.length) { return; }
      var parts = document.createDocumentFragment(), at = 0;
      cuts.forEach(function (c) {
        parts.appendChild(document.createTextNode(chars.slice(at, c[0]).join("")));
        var mark = document.createElement("mark");
        mark.className = "search-hit";
        mark.textContent = chars.slice(c[0], c[1]).join("");
        parts.appendChild(mark);
        at = c[1];
      });
      parts.appendChild(document.createTextNode(chars.slice(at).join("")));
      text.parentNode.replaceChild(parts, text);
    });
    var marks = body.querySelectorAll("mark.search-hit"), target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    for (var m = 0; m < marks.length; m++) {
      if (!target || target.compareDocumentPosition(marks[m]) & Node.DOCUMENT_POSITION_FOLLOWING) {
        marks[m].scrollIntoView({block: "center"});
        break;
      }
    }
  }
  highlight();
  var printButtons = document.querySelectorAll(".print-button");
  for (var j = 0; j < printButtons.length; j++) { printButtons[j].hidden = false; }
})();
