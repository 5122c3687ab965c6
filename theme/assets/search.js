/* Search in the browser over the static index in search/ (docs/search-index.md): fetches the
   manifest, then only the shard files holding the query's terms (a doc list for a word of one
   or two Chinese characters, trigram positions for a longer phrase), then the files of the
   results shown. Same analysis as the build (site_builder/search/tokens.py, analysis.py), so any
   run of two or more Chinese characters matches exactly the reports containing it; Latin
   letters and digits match as words. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var out = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !out || !window.fetch) { return; }
  var base = document.documentElement.getAttribute("data-base") || "/";
  var PER_PAGE = 10, K1 = 1.2, B = 0.75, BOOST = [3, 2, 1];
  var RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+/g;
  var cache = {};

  function get(path, kind) {           // kind: "json", "text" or "bytes"
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) { throw new Error(path + " " + r.status); }
        return kind === "bytes" ? r.arrayBuffer().then(function (b) { return new Uint8Array(b); }) : kind === "text" ? r.text() : r.json();
      });
    }
    return cache[path];
  }
  // Same folding as site_builder/search/tokens.py: character by character, NFKC and lowercase
  // where that gives one character, so positions in the query match positions in the text.
  function norm(text) {
    var out = "";
    for (var ch of text) {
      var f = (ch.normalize ? ch.normalize("NFKC") : ch).toLowerCase();
      out += Array.from(f).length === 1 ? f : ch;
    }
    return out;
  }
  function fnv1a(text) {
    var h = 0x811c9dc5;
    for (var ch of text) { h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0; }
    return h;
  }
  // What a query word needs from the index (site_builder/search/analysis.py): a Chinese run of
  // one or two characters, or a Latin/digit word, alone → its doc list; anything longer → the
  // positions of a few trigrams at fixed offsets (法治政府建设 → 法治政@0 府建设@3), and where
  // digits join Chinese (2023年度) the runs' edges next to them.
  function plan(text) {
    var runs = [], m, folded = norm(text);
    RUN.lastIndex = 0;
    while ((m = RUN.exec(folded)) !== null) { runs.push([m[0], m.index]); }
    if (!runs.length) { return null; }
    var b = runs[0][1], last = runs[runs.length - 1], length = last[1] + last[0].length - b;
    var short = function (run) { return run.charCodeAt(0) < 128 || run.length <= 2; };
    if (runs.length === 1 && short(runs[0][0])) { return {length: length, list: true, parts: [[runs[0][0], 0]]}; }
    var parts = [];
    runs.forEach(function (r) {
      var run = r[0], at = r[1] - b;
      if (short(run)) { parts.push([run, at]); return; }
      for (var i = 0; i + 3 <= run.length; i += 3) { parts.push([run.substr(i, 3), at + i]); }
      if (run.length % 3) { parts.push([run.substr(run.length - 3), at + run.length - 3]); }
    });
    return {length: length, list: false, parts: parts};
  }
  function refused(meta, query) {      // the bounds of site_builder/search/limits.py, from meta.json
    var limits = meta.limits || {words: 10, chars: 200}, chars = Array.from(query).length;
    var words = (query.match(/"([^"]+)"|(\S+)/g) || []).length;
    if (chars > limits.chars) { return "查询有 " + chars + " 个字符，最多查找 " + limits.chars + " 个：请只保留关键的词语。"; }
    if (words > limits.words) { return "查询有 " + words + " 个词，最多 " + limits.words + " 个：请去掉常见的词。"; }
    return "";
  }
  function phrases(query) {
    var list = [], m, re = /"([^"]+)"|(\S+)/g;
    while ((m = re.exec(query)) !== null) {
      var p = plan(m[1] || m[2]);
      if (p) { list.push(p); }
    }
    return list;
  }
  // A shard file: varint header length, JSON [term, bytes, …], then the entries (see
  // site_builder/search/encode.py).
  function Reader(bytes, at) { this.b = bytes; this.i = at || 0; }
  Reader.prototype.next = function () {
    var value = 0, scale = 1, byte;
    do { byte = this.b[this.i++]; value += (byte & 0x7f) * scale; scale *= 128; } while (byte & 0x80);
    return value;
  };
  function entry(bytes, term) {
    var r = new Reader(bytes), size = r.next();
    var header = JSON.parse(new TextDecoder().decode(bytes.subarray(r.i, r.i + size)));
    var at = r.i + size;
    for (var i = 0; i < header.length; i += 2) {
      if (header[i] === term) { return new Reader(bytes.subarray(at, at + header[i + 1])); }
      at += header[i + 1];
    }
    return null;
  }
  function docList(r) {                // → {doc: [tf, best code]}
    var found = {};
    if (!r) { return found; }
    for (var n = r.next(), doc = 0; n > 0; n--) { doc += r.next(); found[doc] = [r.next(), r.next()]; }
    return found;
  }
  function positionList(r) {           // → {doc: [position codes]}
    var found = {};
    if (!r) { return found; }
    for (var n = r.next(), doc = 0; n > 0; n--) {
      doc += r.next();
      var codes = [], code = 0;
      for (var k = r.next(); k > 0; k--) { code += r.next(); codes.push(code); }
      found[doc] = codes;
    }
    return found;
  }
  function lookup(meta, list, filters) {
    var wanted = [];                   // [folder, term]
    list.forEach(function (ph) { ph.parts.forEach(function (p) { wanted.push([ph.list ? "t" : "p", p[0]]); }); });
    filters.forEach(function (f) { wanted.push(["t", f]); });
    return Promise.all(wanted.map(function (w) {
      return get("search/" + w[0] + "/" + (fnv1a(w[1]) % meta.n) + ".bin", "bytes").then(function (bytes) {
        var r = entry(bytes, w[1]);
        return [w[0] + w[1], w[0] === "t" ? docList(r) : positionList(r)];
      });
    })).then(function (pairs) {
      var found = {};
      pairs.forEach(function (p) { found[p[0]] = p[1]; });
      return found;
    });
  }
  function matchPhrase(phrase, found) {  // doc → {tf, field, pos}
    var hits = {};
    if (phrase.list) {
      var list = found["t" + phrase.parts[0][0]];
      Object.keys(list).forEach(function (doc) {
        hits[doc] = {tf: list[doc][0], field: list[doc][1] % 3, pos: Math.floor(list[doc][1] / 3)};
      });
      return hits;
    }
    var lists = phrase.parts.map(function (p) { return found["p" + p[0]]; });
    Object.keys(lists[0]).forEach(function (doc) {
      if (!lists.every(function (l) { return l[doc]; })) { return; }
      var places = lists.map(function (l, i) {
        if (i === 0) { return null; }
        var s = {};
        l[doc].forEach(function (code) { s[Math.floor(code / 3)] = true; });
        return s;
      });
      lists[0][doc].forEach(function (code) {
        var start = Math.floor(code / 3) - phrase.parts[0][1];
        for (var i = 1; i < phrase.parts.length; i++) { if (!places[i][start + phrase.parts[i][1]]) { return; } }
        var field = code % 3, hit = hits[doc] || (hits[doc] = {tf: 0, field: 9, pos: start});
        hit.tf += 1;
        if (field < hit.field) { hit.field = field; hit.pos = start; }
      });
    });
    return hits;
  }
  function lengths() {
    return get("search/lengths.bin", "bytes").then(function (bytes) {
      var r = new Reader(bytes), out = [];
      while (r.i < bytes.length) { out.push(r.next()); }
      return out;
    });
  }
  function params() {
    var p = new URLSearchParams(location.search);
    return {q: p.get("q") || "", year: p.get("year") || "", province: p.get("province") || "",
            county: p.get("county") || "", town: p.get("town") || "", page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1)};
  }
  function link(state, page) {
    var p = new URLSearchParams();
    ["q", "year", "province", "county", "town"].forEach(function (k) { if (state[k]) { p.set(k, state[k]); } });
    if (page > 1) { p.set("page", page); }
    return base + "search/?" + p.toString();
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function textAround(id, doc, pos, length) {   // the chunk(s) of the report's text around a hit
    var size = doc.c, first = Math.floor(Math.max(0, pos - 40) / size), last = Math.floor((pos + length + 60) / size);
    var wanted = [];
    for (var k = first; k <= last; k++) { wanted.push(get("search/docs/" + id + "-" + k + ".txt", "text").catch(function () { return ""; })); }
    // Positions count characters (code points), as the index does.
    return Promise.all(wanted).then(function (parts) { return {chars: Array.from(parts.join("")), offset: first * size}; });
  }
  function snippet(found, doc, hit, length) {
    var p = document.createElement("p");
    p.className = "snippet";
    var chars = found.chars, at = hit.pos - found.offset;
    var from = Math.max(0, at - 40), to = Math.min(chars.length, at + length + 60);
    var before = chars.slice(from, at).join(""), after = chars.slice(at + length, to).join("");
    before = before.slice(before.lastIndexOf("\n") + 1);
    after = after.split("\n")[0];
    p.appendChild(document.createTextNode((from > 0 ? "…" : "") + before));
    p.appendChild(el("mark", {}, chars.slice(at, at + length).join("")));
    p.appendChild(document.createTextNode(after + "…"));
    var section = null;
    doc.s.forEach(function (s) { if (s[0] <= hit.pos) { section = s; } });
    return {node: p, section: hit.field === 0 ? null : section};
  }
  function fill(select, values, chosen) {
    if (!select || select.options.length > 1) { return; }
    values.forEach(function (v) { var o = el("option", {value: v}, v); if (v === chosen) { o.selected = true; } select.appendChild(o); });
  }
  function say(text) { status.textContent = text; }

  // For tests and benchmarks: the ranked report ids for a query, without drawing anything.
  window.siteSearch = {
    ids: function (query, filters) {
      return get("search/meta.json").then(function (meta) {
        if (refused(meta, query)) { throw new Error(refused(meta, query)); }
        var list = phrases(query);
        var wanted = Object.keys(filters || {}).filter(function (k) { return filters[k]; }).map(function (k) { return "=" + k + ":" + filters[k]; });
        return search(meta, list, wanted).then(function (result) { return result.ranked; });
      });
    }
  };

  function search(meta, list, filters) {
    return Promise.all([lookup(meta, list, filters), lengths()]).then(function (loaded) {
      return rank(meta, list, filters, loaded[0], loaded[1]);
    });
  }
  function rank(meta, list, filters, found, lens) {
    var scores = null, best = {};
    list.forEach(function (ph) {
      var hits = matchPhrase(ph, found), df = Object.keys(hits).length;
      var idf = Math.log(1 + (meta.docs - df + 0.5) / (df + 0.5));
      var next = {};
      Object.keys(hits).forEach(function (doc) {
        if (scores && scores[doc] === undefined) { return; }
        var h = hits[doc], len = lens[doc] || meta.avg;
        var s = idf * h.tf * (K1 + 1) / (h.tf + K1 * (1 - B + B * len / meta.avg)) * BOOST[h.field];
        next[doc] = (scores ? scores[doc] : 0) + s;
        if (!best[doc] || h.field < best[doc].hit.field) { best[doc] = {hit: h, length: ph.length}; }
      });
      scores = next;
    });
    filters.forEach(function (f) {
      var allowed = found["t" + f];
      Object.keys(scores).forEach(function (doc) { if (!allowed[doc]) { delete scores[doc]; } });
    });
    var ranked = Object.keys(scores).sort(function (a, b) { return scores[b] - scores[a] || a - b; });
    return {ranked: ranked, best: best};
  }

  function run() {
    var state = params();
    form.q.value = state.q;
    get("search/meta.json").then(function (meta) {
      fill(form.year, meta.filters.year, state.year);
      fill(form.province, meta.filters.province, state.province);
      fill(form.county, meta.filters.county, state.county);
      if (form.town) { form.town.value = state.town; }
      if (refused(meta, state.q)) { say(refused(meta, state.q)); return; }
      var list = phrases(state.q);
      if (!list.length) { say(state.q ? "请输入至少一个汉字、字母或数字。" : "请输入要查找的词语，例如：矛盾纠纷、法律顾问、行政复议。"); return; }
      if (list.every(function (ph) { return ph.list && ph.length === 1 && ph.parts[0][0].charCodeAt(0) >= 128; })) {
        say("请至少输入两个汉字，例如“法治”“调解”。"); return;
      }
      var filters = ["year", "province", "county", "town"].filter(function (k) { return state[k]; })
        .map(function (k) { return "=" + k + ":" + state[k]; });
      say("正在查找……");
      return search(meta, list, filters).then(function (result) { return show(state, result.ranked, result.best); });
    }).catch(function (e) { say("搜索暂时不可用（" + e.message + "）。请稍后再试，或按地区、年度浏览。"); });
  }
  function show(state, ranked, best) {
    out.textContent = "";
    var pages = Math.max(1, Math.ceil(ranked.length / PER_PAGE)), page = Math.min(state.page, pages);
    if (!ranked.length) {
      say("没有找到包含“" + state.q + "”的报告。");
      var tips = el("ul", {"class": "search-tips"});
      ["试试更短的词语，例如“纠纷”而不是“矛盾纠纷排查化解”", "去掉年度、地区等筛选条件", "检查有没有错别字"].forEach(function (t) { tips.appendChild(el("li", {}, t)); });
      out.appendChild(tips);
      return;
    }
    var message = "找到 " + ranked.length + " 份报告" + (pages > 1 ? "，第 " + page + "/" + pages + " 页" : "") + "。";
    var slice = ranked.slice((page - 1) * PER_PAGE, page * PER_PAGE);
    return Promise.all(slice.map(function (id) {
      return get("search/docs/" + id + ".json").then(function (doc) {
        var info = best[id];
        return textAround(id, doc, info.hit.pos, info.length).then(function (found) { return [doc, found]; });
      });
    })).then(function (loaded) {
      var list = el("ol", {"class": "search-list", start: String((page - 1) * PER_PAGE + 1)});
      loaded.forEach(function (pair, i) {
        var doc = pair[0], info = best[slice[i]], cut = snippet(pair[1], doc, info.hit, info.length);
        var item = el("li");
        var href = base + doc.u + (cut.section && cut.section[1] ? "#" + encodeURIComponent(cut.section[1]) : "");
        var h = el("h2");
        h.appendChild(el("a", {href: href}, doc.p + " " + doc.y + "年度"));  // the place first: many reports share a title
        item.appendChild(h);
        item.appendChild(el("p", {"class": "meta"}, doc.t + (cut.section && cut.section[2] ? " · " + cut.section[2] : "")));
        item.appendChild(cut.node);
        list.appendChild(item);
      });
      out.appendChild(list);
      if (pages > 1) {
        var nav = el("nav", {"class": "pager", "aria-label": "搜索结果分页"});
        if (page > 1) { nav.appendChild(el("a", {href: link(state, page - 1), rel: "prev"}, "上一页")); }
        nav.appendChild(el("span", {}, " 第 " + page + " / " + pages + " 页 "));
        if (page < pages) { nav.appendChild(el("a", {href: link(state, page + 1), rel: "next"}, "下一页")); }
        out.appendChild(nav);
      }
      say(message);  // announced once the list is there
    });
  }
  run();
})();
