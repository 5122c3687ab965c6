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
    var sizes = event.target.closest ? event.target.closest(".size-toggle") : null;
    if (sizes) {  // on phones and in 长辈模式 the 大/中/小 buttons fold behind 字号
      var row = sizes.closest(".header-row"), open = !row.classList.contains("sizes-open");
      row.classList.toggle("sizes-open", open);
      sizes.setAttribute("aria-expanded", String(open));
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
  // Long lists: rows (and then tables and sections with no row left) hidden while a name is typed.
  function listFilter() {
    var box = document.querySelector(".list-filter"), input = document.getElementById("list-filter");
    if (!box || !input) { return; }
    box.hidden = false;
    var fold = function (text) { return (text.normalize ? text.normalize("NFKC") : text).toLowerCase().replace(/\s+/g, ""); };
    var rows = Array.prototype.slice.call(document.querySelectorAll("table[data-filtered] tbody tr"));
    var keys = rows.map(function (row) { return fold(row.textContent); });
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-filtered]:not(table)"));
    var tables = Array.prototype.slice.call(document.querySelectorAll("table[data-filtered]"));
    var count = box.querySelector(".list-filter-count");
    input.addEventListener("input", function () {
      var wanted = fold(input.value), shown = 0;
      rows.forEach(function (row, i) {
        var keep = !wanted || keys[i].indexOf(wanted) >= 0;
        row.hidden = !keep;
        if (keep) { shown++; }
      });
      tables.forEach(function (t) { t.hidden = !t.querySelector("tbody tr:not([hidden])"); });
      groups.forEach(function (g) { g.hidden = !g.querySelector("table[data-filtered]:not([hidden])"); });
      count.textContent = wanted ? (shown ? "找到 " + shown + " 项。" : "没有名称或标题含“" + input.value.trim() + "”的项。") : "";
    });
  }
  // 长辈模式: a table with a header row becomes one card per row (each cell under its column's name)
  // on a phone, or wherever it would have to scroll: large type, nothing hidden off to the side.
  function labelCells() {
    var tables = document.querySelectorAll("table");
    for (var t = 0; t < tables.length; t++) {
      var head = tables[t].tHead ? tables[t].tHead.rows[tables[t].tHead.rows.length - 1] : null;
      if (!head || tables[t].classList.contains("rows")) { continue; }
      var names = [];
      for (var h = 0; h < head.cells.length; h++) {
        for (var span = 0; span < head.cells[h].colSpan; span++) { names.push(head.cells[h].textContent.trim()); }
      }
      tables[t].setAttribute("data-cards", "");
      for (var b = 0; b < tables[t].tBodies.length; b++) {
        var rows = tables[t].tBodies[b].rows;
        for (var r = 0; r < rows.length; r++) {
          for (var c = 0, col = 0; c < rows[r].cells.length; col += rows[r].cells[c].colSpan, c++) {
            if (rows[r].cells[c].tagName === "TD" && names[col]) { rows[r].cells[c].setAttribute("data-label", names[col]); }
          }
        }
      }
    }
  }
  function cardTables() {
    var tables = document.querySelectorAll("table[data-cards]"), elderly = root.getAttribute("data-elderly") === "on";
    var phone = window.matchMedia && window.matchMedia("(max-width: 600px)").matches;
    for (var t = 0; t < tables.length; t++) {
      tables[t].classList.remove("cards");
      var box = tables[t].parentElement;
      if (elderly && (phone || tables[t].offsetWidth > box.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1)) {
        tables[t].classList.add("cards");
      }
    }
  }
  labelCells();
  cardTables();
  listFilter();
  window.addEventListener("resize", function () { cardTables(); markScrolling(); });
  document.addEventListener("click", function () { window.setTimeout(function () { cardTables(); markScrolling(); }, 0); });
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
  // Report pages: folds open on wide screens and in print; the reading bar's 字号 and 返回搜索结果;
  // a 复制本段链接 button after each heading of the text.
  function readingAids() {
    var bar = document.querySelector(".reading-bar");
    if (bar) {  // its buttons work only with this file: made here rather than sent in every page
      bar.insertAdjacentHTML("beforeend", '<button type="button" class="bar-size" hidden>字号<span class="bar-size-now"></span></button>' +
        '<a class="bar-back" href="' + (root.getAttribute("data-base") || "/") + 'search/" hidden>返回搜索结果</a>' +
        '<button type="button" class="print-button" hidden>打印本页</button>');
    }
    var folds = document.querySelectorAll("details[data-wide-open]"), k;
    if (window.matchMedia && window.matchMedia("(min-width: 601px)").matches) {
      for (k = 0; k < folds.length; k++) { folds[k].open = true; }
    }
    window.addEventListener("beforeprint", function () {
      var info = document.querySelectorAll("details.doc-info");
      for (var p = 0; p < info.length; p++) { info[p].open = true; }
    });
    var sizeButton = document.querySelector(".bar-size");
    if (sizeButton) {
      var names = {small: "小", medium: "中", large: "大"}, next = {medium: "large", large: "small", small: "medium"};
      var show = function () {
        sizeButton.querySelector(".bar-size-now").textContent = "：" + names[current()];
        sizeButton.setAttribute("aria-label", "字号" + names[current()] + "，点按换为" + names[next[current()]]);
      };
      sizeButton.hidden = false;
      show();
      sizeButton.addEventListener("click", function () {
        var size = next[current()];
        root.setAttribute("data-font-size", size);
        try { localStorage.setItem("font-size", size); } catch (e) { /* not remembered */ }
        mark();
        show();
      });
    }
    var barToc = document.querySelector(".bar-toc");
    if (barToc) {
      barToc.addEventListener("click", function () {
        var toc = document.querySelector(".toc details");
        if (toc) { toc.open = true; }
      });
    }
    var back = document.querySelector(".bar-back");
    var words = window.URLSearchParams ? new URLSearchParams(location.search).get("hl") : null;
    if (back && words !== null) {
      var saved = null;
      try { saved = sessionStorage.getItem("search-back"); } catch (e) { /* none */ }
      back.href = saved || back.getAttribute("href") + "?q=" + encodeURIComponent(words);
      back.hidden = false;
    }
    var headings = document.querySelectorAll(".report-body h2[id], .report-body h3[id]");
    for (var h = 0; h < headings.length; h++) {
      var copy = document.createElement("button");
      copy.type = "button";
      copy.className = "copy-link no-print";
      copy.textContent = "复制本段链接";
      copy.setAttribute("data-anchor", headings[h].id);
      headings[h].appendChild(document.createTextNode(" "));
      headings[h].appendChild(copy);
    }
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest(".copy-link") : null;
      if (!button) { return; }
      var link = location.href.split("#")[0].split("?")[0] + "#" + encodeURIComponent(button.getAttribute("data-anchor"));
      var done = function () { button.textContent = "链接已复制"; window.setTimeout(function () { button.textContent = "复制本段链接"; }, 2000); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(link).then(done, function () { location.hash = button.getAttribute("data-anchor"); });
      } else { location.hash = button.getAttribute("data-anchor"); }
    });
  }
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
  readingAids();
  var printButtons = document.querySelectorAll(".print-button");
  for (var j = 0; j < printButtons.length; j++) { printButtons[j].hidden = false; }
})();
