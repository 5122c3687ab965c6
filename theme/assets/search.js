/* Search in the browser over the static index in search/ (docs/search-index.md). The match rule
   is site_builder/search/match.py: a report matches when every word of the query stands, as
   written (punctuation included, full- and half-width folded), in its title, a heading or a
   paragraph. Round trip 1: the heads of the query's terms (search/s/: each term's best-scoring
   reports, a bounded number of bytes whatever the collection) and stats.json; when they settle
   the first page (a threshold algorithm over score bounds), round trip 2 fetches its results'
   files (title, sections, text for the snippet) and the titles are drawn; then the full entries
   (search/p/) and the lengths give the exact count, the other pages and the facets. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var out = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !out || !window.fetch) { return; }
  var base = document.documentElement.getAttribute("data-base") || "/";
  var setup = JSON.parse(form.getAttribute("data-search") || "{}");
  // match.traditional_to_simplified: pairs of (traditional, simplified) characters, from the build.
  var SIMPLIFIED = new Map(), pairs = Array.from(setup.t || "");
  for (var p = 0; p + 1 < pairs.length; p += 2) { SIMPLIFIED.set(pairs[p], pairs[p + 1]); }
  var PER_PAGE = 10, K1 = 1.2, B = 0.75, BOOST = [3, 2, 1], SCALE = 1e6;
  var MOST_CHECKED = 16;               // texts the first page may check (≈ 5 KB each) before the full entries are cheaper
  // As SPACE_CHARS in match.py (Python's str.isspace).
  var SPACES = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var SPACE_RUN = new RegExp("[" + SPACES + "]+", "g");
  var ODD_SPACE = new RegExp("[" + SPACES.replace(" ", "").replace("\\n", "") + "]");
  var WORDS = new RegExp('"([^"]*)"|([^' + SPACES + "]+)", "g");
  var SEPARATOR = /[\p{P}\p{S}\p{Z}]/u;
  var cache = {}, headers = {};
  var title = document.title;

  // The shard files and the texts are zlib-compressed at build time (served as they are, whatever
  // the server): DecompressionStream inflates them. A browser without it (before Chrome 80,
  // Firefox 113, Safari 16.4) loads the vendored fflate once, only then (assets/vendor/README.md).
  var INFLATES = typeof DecompressionStream !== "undefined";
  var fallback = null;
  function inflater() {                // resolves to fflate.unzlibSync
    if (!fallback) {
      fallback = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        var failed = function () { fallback = null; reject(new Error("inflate")); };
        script.onload = function () { if (window.fflate) { resolve(window.fflate.unzlibSync); } else { failed(); } };
        script.onerror = failed;
        script.src = form.getAttribute("data-inflate") || base + "assets/vendor/fflate.min.js";
        document.head.appendChild(script);
      });
    }
    return fallback;
  }
  function get(path, kind) {           // kind: "json", "bytes", or "deflated" (inflated here)
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) { throw new Error(path + " " + r.status); }
        if (kind === "json") { return r.json(); }
        if (kind === "deflated" && !INFLATES) {
          return Promise.all([r.arrayBuffer(), inflater()]).then(function (both) { return both[1](new Uint8Array(both[0])); });
        }
        var bytes = kind === "deflated" ? new Response(r.body.pipeThrough(new DecompressionStream("deflate"))) : r;
        return bytes.arrayBuffer().then(function (b) { return new Uint8Array(b); });
      });
    }
    return cache[path];
  }
  // match.fold, code point by code point: NFKC and lower case where that gives one character,
  // every kind of space one space. Returns the code points, so positions are the index's.
  function foldChars(text) {
    var chars = [];
    for (var ch of text) {
      var f = (ch.normalize ? ch.normalize("NFKC") : ch).toLowerCase();
      f = Array.from(f).length === 1 ? f : ch;
      f = SIMPLIFIED.get(f) || f;
      chars.push(ODD_SPACE.test(f) ? " " : f);
    }
    return chars;
  }
  function words(query) {              // match.words
    var list = [], m;
    WORDS.lastIndex = 0;
    while ((m = WORDS.exec(query)) !== null) {
      // Spaces collapsed and cut at the ends (not String.trim: it also cuts U+FEFF, which Python keeps).
      var word = foldChars((m[1] !== undefined ? m[1] : m[2]).replace(SPACE_RUN, " ").replace(/^ | $/g, "")).join("");
      if (word) { list.push(word); }
    }
    return list;
  }
  function relaxed(list) {             // match.relaxed
    var split = [];
    list.forEach(function (word) {
      var piece = "";
      for (var ch of word) {
        if (SEPARATOR.test(ch)) { if (piece) { split.push(piece); } piece = ""; } else { piece += ch; }
      }
      if (piece) { split.push(piece); }
    });
    return split.length && split.join("\u0000") !== list.join("\u0000") ? split : null;
  }
  function grams(word) {               // match.grams: [term, offset]
    var chars = Array.from(word), found = [];
    if (chars.length === 1) { return [[word, 0]]; }
    for (var at = 0; at + 1 < chars.length; at += 2) { found.push([chars[at] + chars[at + 1], at]); }
    if (chars.length % 2) { found.push([chars[chars.length - 2] + chars[chars.length - 1], chars.length - 2]); }
    return found;
  }
  // phrases.py: a word of Chinese characters only, three or more, as pieces of the phrase
  // dictionary — itself (three or four), or four-character pieces at offsets 0, 4, … and the last
  // one, which together fix every character (as grams does with bigrams). null: no pieces.
  // null also when the page's filter of the dictionary (phrases.bloom) says a piece is not in it.
  var PHRASE = /^[\u3400-\u9fff]+$/, BLOOM = atob(setup.ph || "");
  function mayBePhrase(word) {         // phrases.bloom_bits
    if (!BLOOM.length) { return false; }
    var first = fnv1a(word), second = fnv1a(word + "\u0001");
    for (var i = 0; i < 7; i++) {
      var bit = (first + i * second) % (BLOOM.length * 8);
      if (!(BLOOM.charCodeAt(bit >> 3) & (1 << (bit & 7)))) { return false; }
    }
    return true;
  }
  function cover(word) {
    var chars = Array.from(word), n = chars.length, found = [];
    if (n < 3 || !PHRASE.test(word)) { return null; }
    if (n <= 4) { found.push([word, 0]); }
    for (var at = 0; n > 4 && at + 4 <= n; at += 4) { found.push([chars.slice(at, at + 4).join(""), at]); }
    if (n > 4 && n % 4) { found.push([chars.slice(n - 4).join(""), n - 4]); }
    return found.every(function (g) { return mayBePhrase(g[0]); }) ? found : null;
  }
  function fnv1a(text) {
    var h = 0x811c9dc5;
    for (var ch of text) { h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0; }
    return h;
  }
  function refused(query) {            // the bounds of site_builder/search/limits.py
    var limits = setup.limits || {words: 10, chars: 200}, chars = Array.from(query).length;
    var count = words(query).length;
    if (chars > limits.chars) { return "查询有 " + chars + " 个字符，最多查找 " + limits.chars + " 个：请只保留关键的词语。"; }
    if (count > limits.words) { return "查询有 " + count + " 个词，最多 " + limits.words + " 个：请去掉常见的词。"; }
    return "";
  }
  // A shard file: varint header length, JSON [term, bytes, …], then the entries (encode.py).
  function Reader(bytes, at) { this.b = bytes; this.i = at || 0; }
  Reader.prototype.next = function () {
    var value = 0, scale = 1, byte;
    do { byte = this.b[this.i++]; value += (byte & 0x7f) * scale; scale *= 128; } while (byte & 0x80);
    return value;
  };
  function entry(path, bytes, term) {
    var header = headers[path];
    if (!header) {
      var r = new Reader(bytes), size = r.next(), list = JSON.parse(new TextDecoder().decode(bytes.subarray(r.i, r.i + size)));
      header = headers[path] = {};
      for (var i = 0, at = r.i + size; i < list.length; i += 2) { header[list[i]] = [at, list[i + 1]]; at += list[i + 1]; }
    }
    var place = header[term];
    return place ? new Reader(bytes.subarray(place[0], place[0] + place[1])) : null;
  }
  function postings(r, positions) {    // → {doc: [tf, best]} or {doc: [positions]}
    var found = {};
    if (!r) { return found; }
    for (var n = r.next(), doc = 0; n > 0; n--) {
      doc += r.next();
      if (!positions) { found[doc] = [r.next(), r.next()]; continue; }
      var list = [], p = 0;
      for (var k = r.next(); k > 0; k--) { p += r.next(); list.push(p); }
      found[doc] = list;
    }
    return found;
  }
  function lookup(terms, dir, read) {  // term → its decoded entry in search/{dir}/, all in one round
    var found = {};
    return Promise.all(terms.map(function (term) {
      var path = "search/" + dir + "/" + (fnv1a(term) % setup.n) + ".bin";
      return get(path, "deflated").then(function (bytes) { found[term] = read(entry(path, bytes, term), term); });
    })).then(function () { return found; });
  }
  function full(r, term) { return postings(r, Array.from(term).length >= 2 && term.charAt(0) !== "="); }
  // A head (search/heads.py): df, the tail's score bound, the best reports' records by doc. A
  // filter term's entry in search/s/ is its whole doc list.
  function head(r, term) {
    if (term.charAt(0) === "=") { return postings(r, false); }
    var h = {df: 0, bound: 0, recs: {}, complete: true, present: !!r};
    if (!r) { return h; }
    var pair = Array.from(term).length >= 2;      // a bigram's or a phrase's records: positions
    h.df = r.next();
    h.bound = r.next() / SCALE;
    h.complete = h.bound === 0;
    for (var k = r.next(); k > 0; k--) {
      var doc = r.next(), rec = {len: r.next()};
      if (pair) {
        rec.b = [0, r.next(), r.next()];
        var list = [], p = 0;
        for (var c = r.next(); c > 0; c--) { p += r.next(); list.push(p); }
        rec.pos = list;
        rec.tf = list.length;
        rec.field = fieldOf(rec.b, list[0]);
      } else {
        rec.tf = r.next();
        rec.field = r.next();
      }
      h.recs[doc] = rec;
    }
    return h;
  }
  function lengths() {                 // per report: [length, headings start, body start]
    return get("search/lengths.bin", "bytes").then(function (bytes) {
      var r = new Reader(bytes), list = [];
      while (r.i < bytes.length) { list.push([r.next(), r.next(), r.next()]); }
      return list;
    });
  }
  // doc → starts of the word (for a single character: its best position only).
  function matchWord(word, found) {
    var parts = grams(word), hits = {};
    if (parts.length === 1 && Array.from(word).length === 1) {
      var list = found[word];
      Object.keys(list).forEach(function (doc) { hits[doc] = {tf: list[doc][0], starts: [list[doc][1]]}; });
      return hits;
    }
    var lists = parts.map(function (p) { return found[p[0]]; });
    var first = lists[0];
    Object.keys(first).forEach(function (doc) {
      if (!lists.every(function (l) { return l[doc]; })) { return; }
      var sets = lists.map(function (l) { var s = {}; l[doc].forEach(function (p) { s[p] = true; }); return s; });
      var starts = first[doc].map(function (p) { return p - parts[0][1]; }).filter(function (start) {
        for (var i = 1; i < parts.length; i++) { if (!sets[i][start + parts[i][1]]) { return false; } }
        return true;
      });
      if (starts.length) { hits[doc] = {tf: starts.length, starts: starts}; }
    });
    return hits;
  }
  function fieldOf(bounds, position) { return position < bounds[1] ? 0 : position < bounds[2] ? 1 : 2; }

  function idfOf(docs, df) { return Math.log(1 + (docs - df + 0.5) / (df + 0.5)); }
  function part(tf, len, field, avg) { return tf * (K1 + 1) / (tf + K1 * (1 - B + B * len / avg)) * BOOST[field]; }
  function termsOf(list) {
    var terms = {};
    list.forEach(function (w) { grams(w).forEach(function (g) { terms[g[0]] = true; }); });
    return Object.keys(terms);
  }
  // quick: the first page from the heads when they settle it ({partial: true, full: the rest}).
  // A word of three or more Chinese characters is read first from its phrase heads; when one of
  // them is not in the dictionary (no head), from its bigrams' heads, in one more round.
  function search(list, filters, quick) {
    var pieces = list.map(cover);
    var unknownCount = function (w, i) { return Array.from(w).length > 2 && (!pieces[i] || pieces[i].length > 1); };
    if (!quick || (list.length > 1 && list.some(unknownCount))) {
      return complete(list, filters, lookup(filters, "s", head));  // a long word's count is needed: the full entries at once
    }
    var phraseTerms = [];
    pieces.forEach(function (c) { (c || []).forEach(function (g) { phraseTerms.push(g[0]); }); });
    var round1 = termsOf(list.filter(function (w, i) { return !pieces[i]; })).concat(phraseTerms, filters);
    return Promise.all([lookup(round1, "s", head), get("search/stats.json", "json")]).then(function (loaded) {
      var heads = loaded[0];
      var plans = pieces.map(function (c) { return c && c.every(function (g) { return heads[g[0]].present; }) ? c : null; });
      if (list.length > 1 && list.some(function (w, i) { return Array.from(w).length > 2 && !plans[i]; })) {
        return complete(list, filters, Promise.resolve(heads));
      }
      var more = termsOf(list.filter(function (w, i) { return !plans[i]; })).filter(function (t) { return !heads[t]; });
      return (more.length ? lookup(more, "s", head) : Promise.resolve({})).then(function (extra) {
        Object.keys(extra).forEach(function (t) { heads[t] = extra[t]; });
        var rest = function () { return complete(list, filters, Promise.resolve(heads)); };
        return Promise.resolve(threshold(list, plans, filters, heads, loaded[1])).then(function (first) {
          if (!first) { return rest(); }
          return first.complete ? {ranked: first.ranked, partial: false} : {ranked: first.ranked, partial: true, full: rest};
        });
      });
    });
  }
  // Every result, ranked: the full entries (search/p/) and every report's length.
  function complete(list, filters, heads) {
    return Promise.all([lookup(termsOf(list), "p", full), lengths(), heads]).then(function (loaded) {
      return {ranked: rank(list, filters.map(function (f) { return loaded[2][f]; }), loaded[0], loaded[1]), partial: false, entries: true};
    });
  }
  // What the heads tell of one word in a report: {score} (exact), {bound} (at most), or null (not
  // there); `rest` bounds a report in none of its heads (null: such a report does not hold it).
  // `plan`: the word's phrase pieces (cover), all with heads; null: its bigrams.
  function wordView(word, heads, docs, plan) {
    if (Array.from(word).length <= 2 || (plan && plan.length === 1)) {
      var h = heads[word];
      return {idf: idfOf(docs, h.df), docs: Object.keys(h.recs), rest: h.complete ? null : h.bound,
              at: function (doc, avg) {
                var r = h.recs[doc];
                return r ? {score: part(r.tf, r.len, r.field, avg)} : h.complete ? null : {bound: h.bound};
              }};
    }
    var parts = plan || grams(word), hs = parts.map(function (g) { return heads[g[0]]; }), seen = {};
    hs.forEach(function (x) { Object.keys(x.recs).forEach(function (d) { seen[d] = true; }); });
    var whole = hs.some(function (x) { return x.complete; });
    return {idf: 1, docs: Object.keys(seen), rest: whole ? null : Math.min.apply(null, hs.map(function (x) { return x.bound; })),
      at: function (doc, avg) {
        var recs = hs.map(function (x) { return x.recs[doc]; }), bound = Infinity;
        if (recs.every(Boolean)) {    // in every head: the word's starts from the bigrams' positions
          var sets = recs.map(function (r) { var s = {}; r.pos.forEach(function (p) { s[p] = true; }); return s; });
          var starts = recs[0].pos.map(function (p) { return p - parts[0][1]; }).filter(function (start) {
            for (var i = 1; i < parts.length; i++) { if (!sets[i][start + parts[i][1]]) { return false; } }
            return true;
          });
          return starts.length ? {score: part(starts.length, recs[0].len, fieldOf(recs[0].b, starts[0]), avg)} : null;
        }
        for (var i = 0; i < hs.length; i++) {   // the word is rarer and no stronger than each piece
          if (recs[i]) { bound = Math.min(bound, part(recs[i].tf, recs[i].len, recs[i].field, avg)); }
          else if (hs[i].complete) { return null; } else { bound = Math.min(bound, hs[i].bound); }
        }
        return {bound: bound};
      }};
  }
  // The first page from the heads (Fagin's threshold algorithm): the reports in the heads scored
  // exactly or bounded; settled when the tenth exact score beats every bound left (reports of the
  // heads not scored exactly, and reports in none of them). The few reports of the heads whose
  // bound still reaches the tenth are scored in their texts (fetched for their snippets anyway).
  // null: not settled — the caller reads the full entries. {complete: true}: the heads hold
  // every result (the count is exact).
  function threshold(list, plans, filters, heads, stats) {
    var docs = stats.docs, avg = stats.chars / Math.max(1, docs);
    var views = list.map(function (w, i) { return wordView(w, heads, docs, plans[i]); });
    var candidates = {}, exact = [], open = [], unseen = 0, lenOf = {}, boundsOf = {};
    views.forEach(function (v) { v.docs.forEach(function (d) { candidates[d] = true; }); });
    Object.keys(heads).forEach(function (term) {
      var recs = heads[term].recs || {};
      Object.keys(recs).forEach(function (d) { lenOf[d] = recs[d].len; if (recs[d].b) { boundsOf[d] = recs[d].b; } });
    });
    Object.keys(candidates).forEach(function (key) {
      var doc = +key, total = 0, sure = true;
      for (var i = 0; i < views.length; i++) {
        var got = views[i].at(doc, avg);
        if (!got) { return; }
        if (got.score === undefined) { sure = false; total += views[i].idf * got.bound; } else { total += views[i].idf * got.score; }
      }
      if (filters.some(function (f) { return !heads[f][doc]; })) { return; }
      (sure ? exact : open).push({doc: doc, score: total});
    });
    views.forEach(function (v) { unseen = unseen === null || v.rest === null ? null : unseen + v.idf * v.rest; });
    var byScore = function (a, b) { return b.score - a.score || a.doc - b.doc; };
    var below = function (c, last) { return c.score < last.score || (c.score === last.score && c.doc > last.doc); };
    var ids = function (found) { return found.map(function (c) { return String(c.doc); }); };
    exact.sort(byScore);
    var last = exact[PER_PAGE - 1];
    window.__why = {exact: exact.length, open: open.length, unseen: unseen, last: last && last.score, reach: open.filter(function (c) { return !last || !below(c, last); }).length};
    if (last && unseen !== null && !(unseen < last.score)) { return null; }   // a report in no head may beat the tenth
    var reaching = open.filter(function (c) { return !last || !below(c, last); });
    if (reaching.length > MOST_CHECKED ||
        reaching.some(function (c) { return !boundsOf[c.doc]; })) { return null; }
    exact.slice(0, PER_PAGE).forEach(function (c) { get("search/docs/" + c.doc + ".json", "json"); });  // the titles, in the same round
    return Promise.all(reaching.map(function (c) {
      return docText(c.doc).then(function (text) {
        if (text === null) { throw new Error("text"); }
        var folded = foldChars(text), total = 0, bounds = boundsOf[c.doc];
        for (var i = 0; i < list.length; i++) {
          var starts = occurrences(folded, [list[i]]).map(function (o) { return o[0]; });
          if (!starts.length) { return; }
          total += views[i].idf * part(starts.length, lenOf[c.doc], fieldOf(bounds, starts[0]), avg);
        }
        exact.push({doc: c.doc, score: total});
      });
    })).then(function () {
      exact.sort(byScore);
      var tenth = exact[PER_PAGE - 1], rest = open.filter(function (c) { return reaching.indexOf(c) < 0; });
      if (unseen === null && !rest.length) { return {ranked: ids(exact), complete: true}; }
      if (!tenth || (unseen !== null && !(unseen < tenth.score)) || rest.some(function (c) { return !below(c, tenth); })) { return null; }
      return {ranked: ids(exact.slice(0, PER_PAGE)), complete: false};
    }).catch(function () { return null; });
  }
  // The reports holding the words; when none does, those holding the relaxed words (match.relaxed).
  function answer(list, filters, quick) {
    return search(list, filters, quick).then(function (result) {
      var loose = result.ranked.length ? null : relaxed(list);
      if (!loose) { return {result: result, loose: null}; }
      return search(loose, filters, quick).then(function (again) { return {result: again, loose: loose}; });
    });
  }
  function rank(list, allowed, found, lens) {
    var docs = lens.length, avg = lens.reduce(function (s, l) { return s + l[0]; }, 0) / Math.max(1, docs);
    var scores = null;
    list.forEach(function (word) {
      var hits = matchWord(word, found), next = {}, idf = idfOf(docs, Object.keys(hits).length);
      Object.keys(hits).forEach(function (doc) {
        if (scores && scores[doc] === undefined) { return; }
        var h = hits[doc], field = Math.min.apply(null, h.starts.map(function (p) { return fieldOf(lens[doc], p); }));
        next[doc] = (scores ? scores[doc] : 0) + idf * part(h.tf, lens[doc][0], field, avg);
      });
      scores = next;
    });
    allowed.forEach(function (list) {
      Object.keys(scores).forEach(function (doc) { if (!list[doc]) { delete scores[doc]; } });
    });
    return Object.keys(scores).sort(function (a, b) { return scores[b] - scores[a] || a - b; });
  }

  // A result's text (browser.doc_files); null when it cannot be had (no snippet then).
  function docText(id) {
    return get("search/docs/" + id + ".bin", "deflated").then(function (bytes) {
      return new TextDecoder().decode(bytes);
    }).catch(function () { return null; });
  }
  // Every start of every word in the folded text (match.occurrences), as [start, end, word index].
  function occurrences(folded, list) {
    var found = [];
    list.forEach(function (word, w) {
      var chars = Array.from(word);
      for (var i = 0; i + chars.length <= folded.length; i++) {
        var k = 0;
        while (k < chars.length && folded[i + k] === chars[k]) { k++; }
        if (k === chars.length) { found.push([i, i + chars.length, w]); }
      }
    });
    return found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
  }
  // Each word's first occurrence in the report, as written there (the word itself if none).
  function asWritten(text, list) {
    var chars = Array.from(text), written = [];
    occurrences(foldChars(text), list).forEach(function (o) {
      if (written[o[2]] === undefined) { written[o[2]] = chars.slice(o[0], o[1]).join(""); }
    });
    return list.map(function (word, w) { return written[w] === undefined ? word : written[w]; });
  }
  // The body text around the best hit: where the most of the words stand close together.
  function snippet(doc, text, list) {
    var bounds = [0, doc.b[0], doc.b[1]];
    var chars = Array.from(text), folded = foldChars(text), all = occurrences(folded, list);
    var body = all.filter(function (o) { return o[0] >= bounds[2]; }), at = -1, best = -1;
    body.forEach(function (o) {
      var seen = {};
      body.forEach(function (p) { if (p[0] >= o[0] - 20 && p[0] < o[0] + 80) { seen[p[2]] = true; } });
      var count = Object.keys(seen).length;
      if (count > best) { best = count; at = o[0]; }
    });
    var section = null;
    if (at < 0) {                      // only in the title or headings: the start of that section's text
      var hit = all.length ? all[0][0] : 0;
      doc.s.forEach(function (s) { if (s[0] >= 0 && s[0] <= hit && s[1] >= 0) { section = s; } });
      at = section ? section[1] : bounds[2];
    }
    doc.s.forEach(function (s) { if (s[1] >= 0 && s[1] <= at) { section = s; } });
    var lineStart = at, lineEnd = at;
    while (lineStart > 0 && chars[lineStart - 1] !== "\n") { lineStart--; }
    while (lineEnd < chars.length && chars[lineEnd] !== "\n") { lineEnd++; }
    var from = Math.max(lineStart, at - 30), to = Math.min(lineEnd, from + 120);
    var p = document.createElement("p");
    p.className = "snippet";
    var cursor = from, firstWord = null;
    if (from > lineStart) { p.appendChild(document.createTextNode("…")); }
    all.forEach(function (o) {
      if (o[0] < cursor || o[0] >= to) { return; }
      var end = Math.min(o[1], to);
      addText(p, chars.slice(cursor, o[0]).join(""));
      p.appendChild(el("mark", {}, chars.slice(o[0], end).join("")));
      if (firstWord === null) { firstWord = chars.slice(o[0], o[1]).join(""); }
      cursor = end;
    });
    addText(p, chars.slice(cursor, to).join("") + (to < lineEnd ? "…" : ""));
    return {node: p, section: section, fragment: firstWord};
  }
  function params() {
    var p = new URLSearchParams(location.search);
    return {q: p.get("q") || "", year: p.get("year") || "", province: p.get("province") || "",
            county: p.get("county") || "", town: p.get("town") || "", sort: p.get("sort") || "",
            page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1)};
  }
  function link(state, page) {
    var p = new URLSearchParams();
    ["q", "year", "province", "county", "town", "sort"].forEach(function (k) { if (state[k]) { p.set(k, state[k]); } });
    if (page > 1) { p.set("page", page); }
    return base + "search/?" + p.toString();
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  // As site_builder/typeset.py: a number stays on one line with its unit (2023年, 15个, 95.2%).
  var NUMBER = /\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s?(?:%|％|‰|余|多)?\s?(?:人次|场次|件次|小时|个月|万元|亿元|平方米|公里|[件次人场个份元万起天名年月日号项家期条篇户所张套本批轮])|\d+(?:\.\d+)?\s?[%％‰]|\d[\d,.]*\d/g;
  function addText(parent, text) {
    var at = 0, m;
    NUMBER.lastIndex = 0;
    while ((m = NUMBER.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(at, m.index)));
      parent.appendChild(el("span", {"class": "nu"}, m[0]));
      at = m.index + m[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(at)));
  }
  function fill(select, values, chosen) {
    if (!select) { return; }
    while (select.options.length > 1) { select.remove(1); }
    values.forEach(function (v) { var o = el("option", {value: v}, v); if (v === chosen) { o.selected = true; } select.appendChild(o); });
  }
  function filterChoices(state) {      // the 区县 list follows the chosen 省
    return get("search/meta.json", "json").then(function (meta) {
      fill(form.year, meta.filters.year, state.year);
      fill(form.province, meta.filters.province, state.province);
      var counties = function () {
        var chosen = form.province.value;
        return chosen ? meta.counties[chosen] || [] : meta.filters.county;
      };
      fill(form.county, counties(), state.county);
      form.province.addEventListener("change", function () { fill(form.county, counties(), ""); });
    }).catch(function () { /* the lists stay empty; search still works */ });
  }
  function say(text, focus) {
    status.textContent = text;
    if (focus) { status.focus(); }
  }
  function fragment(word) {            // a text fragment (#:~:text=) for the page's own highlight
    return encodeURIComponent(word).replace(/-/g, "%2D").replace(/,/g, "%2C");
  }

  // For tests and benchmarks: the ranked report ids for a query, without drawing anything.
  window.siteSearch = {
    ids: function (query, filters) {
      if (refused(query)) { return Promise.reject(new Error(refused(query))); }
      var wanted = Object.keys(filters || {}).filter(function (k) { return filters[k]; }).map(function (k) { return "=" + k + ":" + filters[k]; });
      return answer(words(query), wanted, true).then(function (found) {
        return found.result.partial ? found.result.full().then(function (all) { return all.ranked; }) : found.result.ranked;
      });
    },
    // The first page as the results page draws it first, from the heads ([] when they do not settle it).
    firstPage: function (query) {     // [ids, "heads" (page settled), "all" (every result in the heads) or "entries"]
      return answer(words(query), [], true).then(function (found) {
        var r = found.result;
        return [r.ranked.slice(0, PER_PAGE), r.partial ? "heads" : r.entries ? "entries" : "all"];
      });
    },
    words: words, relaxed: relaxed
  };

  function mark(name) { if (window.performance && performance.mark) { performance.mark(name); } }
  // search/facets.json (browser.facets): each report's year, town and date. Fetched beside the
  // first round of a query (no round of its own); it narrows by 乡镇, counts, sorts and browses.
  function facetsData() { return get("search/facets.json", "json").catch(function () { return null; }); }
  function townNames(f) {
    var seen = {};
    return f.towns.map(function (t) { return t[0]; }).filter(function (n) { return seen[n] ? false : (seen[n] = true); });
  }
  function resolveTown(f, typed) {     // the town picker: 白中 → 白中镇 when one name fits
    if (!typed || !f) { return typed; }
    var names = townNames(f), folded = foldChars(typed).join("");
    var fits = function (test) { return names.filter(function (n) { return test(foldChars(n).join("")); }); };
    var exact = fits(function (n) { return n === folded; });
    if (exact.length) { return exact[0]; }
    var starts = fits(function (n) { return n.indexOf(folded) === 0; });
    if (starts.length === 1) { return starts[0]; }
    var inside = fits(function (n) { return n.indexOf(folded) >= 0; });
    return inside.length === 1 ? inside[0] : typed;
  }
  function facetOf(f, id) {            // [year, province, county, town, town page, date]
    var d = f.docs[id], town = f.towns[d[1]], county = f.counties[town[1]];
    return [String(f.years[d[0]]), county[0], county[1], town[0], town[2], d[2]];
  }
  function narrowed(f, state, ids) {
    return ids.filter(function (id) {
      var v = facetOf(f, id);
      return (!state.year || v[0] === state.year) && (!state.province || v[1] === state.province) &&
        (!state.county || v[2] === state.county) && (!state.town || v[3] === state.town);
    });
  }
  function sorted(f, state, ids) {     // relevance keeps the ranking; year and date: newest first, then site order
    var key = state.sort === "date" ? 5 : state.sort === "year" ? 0 : -1;
    if (key < 0 || !f) { return ids; }
    return ids.slice().sort(function (a, b) {
      var x = facetOf(f, a)[key], y = facetOf(f, b)[key];
      return x < y ? 1 : x > y ? -1 : a - b;
    });
  }
  function townChoices(f) {
    var list = document.getElementById("search-towns");
    if (!list || !f || list.options.length) { return; }
    var counts = {};
    f.docs.forEach(function (d) { var n = f.towns[d[1]][0]; counts[n] = (counts[n] || 0) + 1; });
    townNames(f).forEach(function (n) { list.appendChild(el("option", {value: n}, counts[n] + " 份报告")); });
  }
  function run() {
    mark("search-start");
    var state = params();
    form.q.value = state.q;
    if (form.sort) { form.sort.value = state.sort; }
    var facetsAsked = null;             // facets.json grows with the collection: asked for once the first page is drawn, unless the answer needs it
    var facetsLoaded = function () { return facetsAsked || (facetsAsked = facetsData()); };
    var choices = function () { filterChoices(state); facetsLoaded().then(townChoices); };  // not needed for the answer: asked for after it
    if (state.q) { document.title = "搜索“" + state.q + "” - " + title; }
    if (refused(state.q)) { say(refused(state.q)); choices(); return; }
    var list = words(state.q);
    var browsing = !list.length && (state.year || state.province || state.county || state.town);
    if (!list.length && !browsing) {
      if (form.town) { form.town.value = state.town; }
      say(state.q ? "请输入要查找的文字。" : "请输入要查找的词语，例如：矛盾纠纷、法律顾问、行政复议；也可以只选年度、区县或乡镇，列出那里的全部报告。");
      choices();
      return;
    }
    var filters = ["year", "province", "county"].filter(function (k) { return state[k]; })
      .map(function (k) { return "=" + k + ":" + state[k]; });
    say("正在查找……");
    // The first page by relevance may come from the heads, before the count (and before facets.json).
    var quick = state.page === 1 && !state.sort && !state.town;
    var found = browsing ? Promise.resolve(null) : answer(list, filters, quick);
    var draw = function (got, result, f, early) {
      var shownWords = got.loose || list;
      var note = got.loose ? "没有找到包含“" + state.q + "”的报告；以下是去掉标点、按“" + got.loose.join(" ") + "”分词查找的结果。" : "";
      var ranked = f ? sorted(f, state, narrowed(f, state, result.ranked)) : result.ranked;
      return show(state, shownWords, {ranked: ranked, partial: early && result.partial, early: early}, note, f);
    };
    // A year alone lists its reports in site order: its doc list (search/s/) is the first page.
    var yearOnly = browsing && state.year && !state.province && !state.county && !state.town && (!state.sort || state.sort === "year");
    var first = yearOnly ? lookup(["=year:" + state.year], "s", head).then(function (lists) {
      var ranked = Object.keys(lists["=year:" + state.year]).sort(function (a, b) { return a - b; });
      return show(state, [], {ranked: ranked, early: true}, "", null);
    }) : browsing || !quick ? Promise.resolve(facetsLoaded()) : found.then(function (got) { return draw(got, got.result, null, true); });
    first.then(function () { return Promise.all([found, facetsLoaded()]); }).then(function (both) {
      var f = both[1], got = both[0];
      if (browsing && !f) { throw new Error("facets.json"); }
      state.town = resolveTown(f, state.town);
      if (form.town) { form.town.value = state.town; }
      if (browsing) {
        if (!state.sort) { state.sort = "year"; }
        var all = f.docs.map(function (d, i) { return String(i); });
        return show(state, [], {ranked: sorted(f, state, narrowed(f, state, all))}, "", f);
      }
      // Then the count, the other pages and the facets.
      return (got.result.partial ? got.result.full() : Promise.resolve(got.result)).then(function (result) {
        return draw(got, result, f, false);
      });
    }).catch(function (e) {
      say(e.message === "inflate"
        ? "未能载入读取搜索索引所需的文件（assets/vendor/fflate.min.js），因此无法按文字搜索。请刷新页面再试，或换用新版浏览器（Chrome 或 Edge 80、Firefox 113、Safari 16.4 及以后的版本）；也可以只选年度、区县或乡镇浏览报告。"
        : "搜索暂时不可用（" + e.message + "）。请稍后再试，或按地区、年度浏览。");
    }).then(choices);
  }
  // Counts of the results by 年度, 区县 and 乡镇, each a link that narrows to it; and 直达 a town
  // the query names.
  function facetPanel(state, list, ranked, f) {
    var panel = el("div", {"class": "facets"});
    var groups = [["year", "年度", 0], ["county", "区县", 2], ["town", "乡镇（街道）", 3]];
    groups.forEach(function (g) {
      if (state[g[0]]) { return; }
      var counts = {}, order = [];
      ranked.forEach(function (id) {
        var v = facetOf(f, id)[g[2]];
        if (!counts[v]) { counts[v] = 0; order.push(v); }
        counts[v]++;
      });
      if (order.length < 2) { return; }
      if (g[0] === "year") { order.sort().reverse(); } else { order.sort(function (a, b) { return counts[b] - counts[a]; }); }
      var box = el("div", {"class": "facet"}), heading = el("h2", {}, "按" + g[1]), ul = el("ul", {"class": "facet-list"});
      box.appendChild(heading);
      order.slice(0, 12).forEach(function (v) {
        var next = Object.assign({}, state); next[g[0]] = v; next.page = 1;
        var li = el("li"), a = el("a", {href: link(next, 1), "data-count": String(counts[v])}, v);
        li.appendChild(a);
        li.appendChild(el("span", {"class": "facet-count"}, "（" + counts[v] + "）"));
        ul.appendChild(li);
      });
      box.appendChild(ul);
      if (order.length > 12) { box.appendChild(el("p", {"class": "note"}, "另有 " + (order.length - 12) + " 项，可在上方筛选中选择。")); }
      panel.appendChild(box);
    });
    return panel.childNodes.length ? panel : null;
  }
  function direct(list, f) {           // "直达 白中镇（5 份报告）" when a word of the query is a town's name
    var lines = el("ul", {"class": "direct"});
    f.towns.forEach(function (town, t) {
      if (list.indexOf(foldChars(town[0]).join("")) < 0) { return; }
      var count = f.docs.filter(function (d) { return d[1] === t; }).length, county = f.counties[town[1]];
      var li = el("li"), a = el("a", {href: base + town[2]}, "直达 " + town[0]);
      li.appendChild(a);
      li.appendChild(document.createTextNode("（" + county[0] + county[1] + "，" + count + " 份报告）"));
      lines.appendChild(li);
    });
    return lines.childNodes.length ? lines : null;
  }
  function show(state, list, result, note, f) {
    var ranked = result.ranked, browsing = !list.length, partial = !!result.partial, early = !!result.early;
    out.textContent = "";
    out.removeAttribute("data-complete");
    var shortcut = f && list.length ? direct(list, f) : null;
    if (shortcut) { out.appendChild(shortcut); }
    var pages = Math.max(1, Math.ceil(ranked.length / PER_PAGE)), page = Math.min(state.page, pages);
    if (!ranked.length) {
      say(browsing ? "没有符合所选年度、地区的报告。" : (note ? note + " " : "") + "没有找到包含“" + (note ? list.join(" ") : state.q) + "”的报告。", true);
      var tips = el("ul", {"class": "search-tips"});
      ["试试更短的词语，例如“纠纷”而不是“矛盾纠纷排查化解”", "去掉年度、地区等筛选条件", "检查有没有错别字"].forEach(function (t) { tips.appendChild(el("li", {}, t)); });
      out.appendChild(tips);
      if (!early) { out.setAttribute("data-complete", "true"); }
      return Promise.resolve();
    }
    try { sessionStorage.setItem("search-back", location.href); } catch (e) { /* the report links back to a new search */ }
    var chosen = ["year", "county", "town"].filter(function (k) { return state[k]; })
      .map(function (k) { return k === "year" ? state[k] + "年度" : state[k]; }).join(" · ");
    var message = partial ? (note ? note + " " : "") + "以下是最相关的报告，正在统计全部结果……" :
      (note ? note + " " : "") + (browsing ? "共 " : "找到 ") + ranked.length + " 份报告" + (chosen ? "（" + chosen + "）" : "") +
      (pages > 1 ? "，第 " + page + "/" + pages + " 页" : "") + "。";
    var panel = f && !partial ? facetPanel(state, list, ranked, f) : null;
    if (panel) { out.appendChild(panel); }
    var slice = ranked.slice((page - 1) * PER_PAGE, page * PER_PAGE);
    var headers = Promise.all(slice.map(function (id) { return get("search/docs/" + id + ".json", "json"); }));
    var texts = slice.map(function (id) { return browsing ? Promise.resolve(null) : docText(id); });  // asked for now, after the titles: the same round trip
    return headers.then(function (docs) {
      var ol = el("ol", {"class": "search-list", start: String((page - 1) * PER_PAGE + 1)});
      var items = docs.map(function (doc, i) {
        var item = el("li"), h = el("h2"), a = el("a", {href: base + doc.u + "?hl=" + encodeURIComponent(list.join(" "))}, doc.p + " " + doc.y + "年度");
        h.appendChild(a);                // the place first: many reports share a title
        item.appendChild(h);
        var date = f ? facetOf(f, slice[i])[5] : "";
        var meta = el("p", {"class": "meta"}, doc.t);
        if (date) {                    // a <time> stays on one line (site.css)
          meta.appendChild(document.createTextNode(" · 发布于 "));
          meta.appendChild(el("time", {datetime: date}, date.replace(/^(\d+)-0?(\d+)-0?(\d+)$/, "$1年$2月$3日")));
        }
        item.appendChild(meta);
        ol.appendChild(item);
        return {doc: doc, item: item, link: a, meta: meta};
      });
      out.appendChild(ol);
      mark("search-shown");
      if (pages > 1 && !partial) {
        var nav = el("nav", {"class": "pager", "aria-label": "搜索结果分页"});
        if (page > 1) { nav.appendChild(el("a", {href: link(state, page - 1), rel: "prev"}, "上一页")); }
        nav.appendChild(el("span", {}, " 第 " + page + " / " + pages + " 页 "));
        if (page < pages) { nav.appendChild(el("a", {href: link(state, page + 1), rel: "next"}, "下一页")); }
        out.appendChild(nav);
      }
      say(message, !result.early || !partial);  // announced, and focused for keyboard and screen-reader users, once the list is there
      // Then each snippet, and the link to the section it comes from, as its text arrives.
      return Promise.all(items.map(function (shown, i) {
        return texts[i].then(function (text) {
          if (text === null) { return; }
          var cut = snippet(shown.doc, text, list), section = cut.section;
          var anchor = section && section[2] ? "#" + encodeURIComponent(section[2]) : "";
          // The words as this report writes them (雙江鎮 for 双江镇): the report page marks them.
          shown.link.setAttribute("href", base + shown.doc.u + "?hl=" + encodeURIComponent(asWritten(text, list).join(" ")) + anchor +
            (cut.fragment ? (anchor ? "" : "#") + ":~:text=" + fragment(cut.fragment) : ""));
          if (section && section[3]) { shown.meta.appendChild(document.createTextNode(" · " + section[3])); }
          shown.item.appendChild(cut.node);
        });
      })).then(function () { if (!early) { out.setAttribute("data-complete", "true"); } });
    });
  }
  run();
})();
