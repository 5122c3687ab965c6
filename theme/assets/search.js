/* Search in the browser over the static index in search/: fetches the manifest, then only the
   shards holding the query's terms, then the files of the results shown. Same analysis as the
   build (site_builder/search/tokens.py): Chinese as character bigrams with positions, so any
   run of two or more characters matches exactly; Latin letters and digits as words. */
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

  var GZIP = typeof DecompressionStream === "function" && typeof Response === "function";
  function get(path) {
    if (!cache[path]) {
      // Shards also exist gzipped; where the browser can inflate them itself, fetch those.
      var packed = GZIP && path.indexOf("search/shards/") === 0;
      var plain = function () {
        return fetch(base + path).then(function (r) {
          if (!r.ok) { throw new Error(path + " " + r.status); }
          return r.json();
        });
      };
      // A server that marks .gz files Content-Encoding: gzip has the browser inflate them
      // already: then the stream fails and the plain file is fetched instead.
      cache[path] = !packed ? plain() : fetch(base + path + ".gz").then(function (r) {
        if (!r.ok) { throw new Error(path + " " + r.status); }
        return new Response(r.body.pipeThrough(new DecompressionStream("gzip"))).json();
      }).catch(plain);
    }
    return cache[path];
  }
  function norm(text) { return (text.normalize ? text.normalize("NFKC") : text).toLowerCase(); }
  function tokens(text) {
    var found = [], m;
    text = norm(text);
    RUN.lastIndex = 0;
    while ((m = RUN.exec(text)) !== null) {
      var run = m[0], start = m.index;
      if (run.charCodeAt(0) < 128 || run.length === 1) { found.push([run, start]); continue; }
      for (var i = 0; i < run.length - 1; i++) { found.push([run.substr(i, 2), start + i]); }
    }
    return found;
  }
  function fnv1a(text) {
    var h = 0x811c9dc5;
    for (var ch of text) { h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0; }
    return h;
  }
  function phrases(query) {
    var list = [], m, re = /"([^"]+)"|(\S+)/g;
    while ((m = re.exec(query)) !== null) {
      var t = tokens(m[1] || m[2]);
      if (t.length) {
        var b = t[0][1];
        list.push({text: m[1] || m[2], parts: t.map(function (x) { return [x[0], x[1] - b]; })});
      }
    }
    return list;
  }
  function decode(posting) {           // [doc, first, delta, delta…] → {pos: field}
    var map = {}, v = 0;
    for (var i = 1; i < posting.length; i++) { v += posting[i]; map[(v / 3) | 0] = v % 3; }
    return map;
  }
  function lookup(meta, terms) {
    var shards = {};
    terms.forEach(function (t) { shards[fnv1a(t) % meta.n] = true; });
    return Promise.all(Object.keys(shards).map(function (n) { return get("search/shards/" + n + ".json"); }))
      .then(function (loaded) {
        var postings = {};
        loaded.forEach(function (shard) { terms.forEach(function (t) { if (shard[t]) { postings[t] = shard[t]; } }); });
        return postings;
      });
  }
  function matchPhrase(phrase, postings) {  // doc → {tf, field, pos}
    var lists = phrase.parts.map(function (p) { return postings[p[0]] || []; });
    var byDoc = lists.map(function (list) { var m = {}; list.forEach(function (p) { m[p[0]] = p; }); return m; });
    var hits = {};
    lists[0].forEach(function (first) {
      var doc = first[0];
      if (!byDoc.every(function (m) { return m[doc]; })) { return; }
      var maps = byDoc.map(function (m) { return decode(m[doc]); });
      Object.keys(maps[0]).forEach(function (key) {
        var start = +key - phrase.parts[0][1];
        var ok = phrase.parts.every(function (p, i) { return maps[i][start + p[1]] !== undefined; });
        if (!ok) { return; }
        var field = maps[0][key];
        var hit = hits[doc] || (hits[doc] = {tf: 0, field: 9, pos: start});
        hit.tf += 1;
        if (field < hit.field) { hit.field = field; hit.pos = start; }
      });
    });
    return hits;
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
    for (var k = first; k <= last; k++) { wanted.push(get("search/docs/" + id + "-" + k + ".json").catch(function () { return ""; })); }
    return Promise.all(wanted).then(function (parts) { return {text: parts.join(""), offset: first * size}; });
  }
  function snippet(found, doc, hit, length) {
    var p = document.createElement("p");
    p.className = "snippet";
    var text = found.text, at = hit.pos - found.offset;
    var from = Math.max(0, at - 40), to = Math.min(text.length, at + length + 60);
    var before = text.slice(from, at), after = text.slice(at + length, to);
    before = before.slice(before.lastIndexOf("\n") + 1);
    after = after.split("\n")[0];
    p.appendChild(document.createTextNode((from > 0 ? "…" : "") + before));
    p.appendChild(el("mark", {}, text.slice(at, at + length)));
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
        var list = phrases(query), terms = [];
        var wanted = Object.keys(filters || {}).filter(function (k) { return filters[k]; }).map(function (k) { return "=" + k + ":" + filters[k]; });
        list.forEach(function (ph) { ph.parts.forEach(function (p) { terms.push(p[0]); }); });
        return lookup(meta, terms.concat(wanted)).then(function (postings) { return rank(meta, list, wanted, postings).ranked; });
      });
    }
  };

  function rank(meta, list, filters, postings) {
    var scores = null, best = {};
    list.forEach(function (ph) {
      var hits = matchPhrase(ph, postings), df = Object.keys(hits).length;
      var idf = Math.log(1 + (meta.docs - df + 0.5) / (df + 0.5));
      var next = {};
      Object.keys(hits).forEach(function (doc) {
        if (scores && scores[doc] === undefined) { return; }
        var h = hits[doc], len = meta.len[doc] || meta.avg;
        var s = idf * h.tf * (K1 + 1) / (h.tf + K1 * (1 - B + B * len / meta.avg)) * BOOST[h.field];
        next[doc] = (scores ? scores[doc] : 0) + s;
        if (!best[doc] || h.field < best[doc].hit.field) { best[doc] = {hit: h, length: ph.text.replace(/"/g, "").length}; }
      });
      scores = next;
    });
    filters.forEach(function (f) {
      var allowed = {};
      (postings[f] || []).forEach(function (p) { allowed[p[0]] = true; });
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
      var list = phrases(state.q);
      if (!list.length) { say(state.q ? "请输入至少一个汉字、字母或数字。" : "请输入要查找的词语，例如：矛盾纠纷、法律顾问、行政复议。"); return; }
      var filters = ["year", "province", "county", "town"].filter(function (k) { return state[k]; })
        .map(function (k) { return "=" + k + ":" + state[k]; });
      var terms = filters.slice();
      list.forEach(function (ph) { ph.parts.forEach(function (p) { terms.push(p[0]); }); });
      say("正在查找……");
      return lookup(meta, terms).then(function (postings) {
        var result = rank(meta, list, filters, postings);
        return show(state, result.ranked, result.best);
      });
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
        h.appendChild(el("a", {href: href}, doc.t));
        item.appendChild(h);
        item.appendChild(el("p", {"class": "meta"}, doc.p + " · " + doc.y + "年度" + (cut.section && cut.section[2] ? " · " + cut.section[2] : "")));
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
