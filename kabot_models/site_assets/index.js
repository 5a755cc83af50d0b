// The catalog index: search, filters and sorting over window.KM_CATALOG (data/catalog.js).
// The view is the URL hash (#q=sonnet&cap=vision&sort=input), so a link shares it and Back undoes a change.
// Only matching rows are in the table, PAGE at a time: thousands of models stay fast.
(function () {
  "use strict";
  var D = window.KM_CATALOG;
  var PAGE = 200;
  var FILTERS = ["q", "provider", "status", "maxin", "minctx", "since"];
  var CAP_SHORT = {
    tool_use: "tools", parallel_tool_calls: "parallel tools", structured_output: "structured",
    prompt_caching: "caching", audio_input: "audio in", audio_output: "audio out", video_input: "video in",
    pdf_input: "pdf", image_output: "image out", web_search: "web search", computer_use: "computer use",
    code_execution: "code exec", system_messages: "system msgs", json_mode: "json mode"
  };
  var STATUS_RANK = { active: 0, preview: 1, deprecated: 2, retired: 3 };
  var SORTS = {
    name: function (r) { return r.n.toLowerCase(); },
    provider: function (r) { return r.p; },
    context: function (r) { return r.c; },
    output: function (r) { return r.o; },
    input: function (r) { return r.pi; },
    outprice: function (r) { return r.po; },
    status: function (r) { return STATUS_RANK[r.s]; },
    release: function (r) { return r.r; }
  };
  var $ = function (id) { return document.getElementById(id); };
  var tbody = document.querySelector("#models tbody");
  var state = {};
  var shown = PAGE;
  var matches = [];

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function money(v) {
    if (v === undefined || v === null) return '<span class="muted">—</span>';
    return "$" + (+v.toPrecision(6)).toString();
  }
  function tokens(v) {
    // 128K, 1M, 65.5K: three figures at most; the exact count is the cell's tooltip.
    if (v === undefined || v === null) return '<span class="muted">—</span>';
    var short = v >= 1e6 ? +(v / 1e6).toPrecision(3) + "M" : v >= 1e3 ? +(v / 1e3).toPrecision(3) + "K" : String(v);
    return '<span title="' + v.toLocaleString("en-US") + ' tokens">' + short + "</span>";
  }

  D.models.forEach(function (r) {
    var provider = D.providers[r.p] ? D.providers[r.p].n : r.p;
    r._s = [r.i, r.n, provider].concat(r.a || []).join(" ").toLowerCase();
    r._caps = (r.f || []).map(function (n) { return D.caps[n]; });
  });

  // -- the view <-> the hash -------------------------------------------------------------------
  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    var s = {};
    FILTERS.forEach(function (k) { s[k] = p.get(k) || ""; });
    s.cap = (p.get("cap") || "").split(",").filter(function (c) { return D.caps.indexOf(c) >= 0; });
    s.sort = SORTS[p.get("sort")] ? p.get("sort") : "";
    s.dir = p.get("dir") === "desc" ? "desc" : "asc";
    s.m = (p.get("m") || "").split(",").filter(Boolean).slice(0, 4);
    return s;
  }
  function writeHash() {
    var p = new URLSearchParams();
    FILTERS.forEach(function (k) { if (state[k]) p.set(k, state[k]); });
    if (state.cap.length) p.set("cap", state.cap.join(","));
    if (state.sort) { p.set("sort", state.sort); if (state.dir === "desc") p.set("dir", "desc"); }
    if (state.m.length) p.set("m", state.m.join(","));
    var hash = p.toString().replace(/%2C/g, ",").replace(/%2F/g, "/");
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }
  function toControls() {
    FILTERS.forEach(function (k) { $(k).value = state[k]; });
    Array.prototype.forEach.call(document.querySelectorAll("#caps input"), function (box) {
      box.checked = state.cap.indexOf(box.value) >= 0;
    });
  }

  // -- filtering and sorting -------------------------------------------------------------------
  function match(r) {
    var s = state;
    if (s.provider && r.p !== s.provider) return false;
    if (s.status === "") { if (r.s === "deprecated" || r.s === "retired") return false; }
    else if (s.status !== "all" && r.s !== s.status) return false;
    if (s.maxin !== "" && !(r.pi !== undefined && r.pi <= +s.maxin)) return false;
    if (s.minctx && !(r.c >= +s.minctx)) return false;
    if (s.since && !(r.r && r.r >= s.since)) return false;
    for (var i = 0; i < s.cap.length; i++) if (r._caps.indexOf(s.cap[i]) < 0) return false;
    if (s.q) {
      var words = s.q.toLowerCase().split(/\s+/);
      for (var j = 0; j < words.length; j++) if (words[j] && r._s.indexOf(words[j]) < 0) return false;
    }
    return true;
  }
  var KIND_RANK = { "first-party": 0, cloud: 1, gateway: 2, local: 3 };
  function kindRank(r) { var p = D.providers[r.p]; return p ? KIND_RANK[p.k] : 4; }
  function sorted(list) {
    // Unsorted, first-party providers come first (the models people look for), then clouds, gateways, local servers.
    if (!state.sort) return list.map(function (r, n) { return [kindRank(r), n, r]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; }).map(function (t) { return t[2]; });
    var key = SORTS[state.sort], sign = state.dir === "desc" ? -1 : 1;
    return list.map(function (r, n) { return [key(r), n, r]; }).sort(function (a, b) {
      var x = a[0], y = b[0];
      var xm = x === undefined || x === null, ym = y === undefined || y === null;
      if (xm || ym) return xm === ym ? a[1] - b[1] : (xm ? 1 : -1); // unknown figures last, either way
      if (x < y) return -sign;
      if (x > y) return sign;
      return a[1] - b[1];
    }).map(function (t) { return t[2]; });
  }

  // -- rendering -------------------------------------------------------------------------------
  function rowHtml(r) {
    var provider = D.providers[r.p] || { n: r.p, u: "" };
    var picked = state.m.indexOf(r.i) >= 0;
    var caps = r._caps.map(function (c) { return '<span class="cap">' + esc(CAP_SHORT[c] || c) + "</span>"; }).join("");
    return '<tr' + (r.s === "deprecated" || r.s === "retired" ? ' class="is-old"' : "") + ' data-id="' + esc(r.i) + '">' +
      '<td class="pick"><input type="checkbox" aria-label="Compare ' + esc(r.n) + '" value="' + esc(r.i) + '"' + (picked ? " checked" : "") + "></td>" +
      '<td><a href="' + esc(r.u) + '">' + esc(r.n) + '</a><div class="id">' + esc(r.i) + "</div></td>" +
      '<td><a class="provider" href="' + esc(provider.u) + '">' + esc(provider.n) + "</a></td>" +
      '<td class="num">' + tokens(r.c) + '</td><td class="num">' + tokens(r.o) + "</td>" +
      '<td class="num">' + money(r.pi) + '</td><td class="num">' + money(r.po) + "</td>" +
      "<td>" + caps + "</td>" +
      '<td><span class="badge status-' + esc(r.s) + '">' + esc(r.s) + "</span></td>" +
      "<td>" + (r.r ? esc(r.r) : '<span class="muted">—</span>') + "</td></tr>";
  }
  function render() {
    tbody.innerHTML = matches.slice(0, shown).map(rowHtml).join("");
    var more = matches.length - shown;
    $("more").hidden = more <= 0;
    $("more").textContent = "Show " + Math.min(more, PAGE) + " more (" + more.toLocaleString("en-US") + " left)";
    var hidden = state.status === "" ? " · deprecated and retired hidden" : "";
    $("count").textContent = matches.length.toLocaleString("en-US") + " of " + D.models.length.toLocaleString("en-US") + " models" + hidden;
    Array.prototype.forEach.call(document.querySelectorAll("#models th[data-sort]"), function (th) {
      if (th.dataset.sort === state.sort) th.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
    var cmp = $("compare");
    cmp.textContent = "Compare (" + state.m.length + ")";
    cmp.href = "compare.html" + (state.m.length ? "#m=" + state.m.join(",") : "");
    cmp.setAttribute("aria-disabled", state.m.length >= 2 ? "false" : "true");
  }
  function update(resetPaging) {
    if (resetPaging) shown = PAGE;
    matches = sorted(D.models.filter(match));
    render();
  }
  function fromControls() {
    FILTERS.forEach(function (k) { state[k] = $(k).value.trim(); });
    state.cap = Array.prototype.filter.call(document.querySelectorAll("#caps input"), function (b) { return b.checked; })
      .map(function (b) { return b.value; });
    writeHash();
    update(true);
  }

  // -- set up ----------------------------------------------------------------------------------
  var select = $("provider");
  Object.keys(D.providers).forEach(function (id) {
    var o = document.createElement("option");
    o.value = id;
    o.textContent = D.providers[id].n;
    select.appendChild(o);
  });
  $("caps").innerHTML = D.caps.map(function (c) {
    return '<label class="chip"><input type="checkbox" value="' + esc(c) + '"><span>' + esc(c.replace(/_/g, " ")) + "</span></label>";
  }).join("");

  var timer = 0;
  $("filters").addEventListener("input", function (ev) {
    clearTimeout(timer);
    timer = setTimeout(fromControls, ev.target.id === "q" ? 80 : 0);
  });
  $("filters").addEventListener("change", fromControls);
  $("reset").addEventListener("click", function () {
    state = { cap: [], sort: "", dir: "asc", m: state.m };  // the compare selection stays
    FILTERS.forEach(function (k) { state[k] = ""; });
    toControls(); writeHash(); update(true);
    $("q").focus();
  });
  $("more").addEventListener("click", function () { shown += PAGE; render(); });
  document.querySelector("#models thead").addEventListener("click", function (ev) {
    var th = ev.target.closest("th[data-sort]");
    if (!th) return;
    var key = th.dataset.sort;
    if (state.sort === key) state.dir = state.dir === "asc" ? "desc" : "asc";
    else { state.sort = key; state.dir = key === "context" || key === "output" || key === "release" ? "desc" : "asc"; }
    writeHash(); update(false);
  });
  tbody.addEventListener("change", function (ev) {
    var box = ev.target;
    if (box.type !== "checkbox") return;
    var i = state.m.indexOf(box.value);
    if (box.checked && i < 0) {
      if (state.m.length >= 4) { box.checked = false; $("count").textContent = "Compare takes up to 4 models"; return; }
      state.m.push(box.value);
    } else if (!box.checked && i >= 0) state.m.splice(i, 1);
    writeHash(); render();
  });
  document.addEventListener("keydown", function (ev) {
    // "/" jumps to the search box, as on many catalogs; not while typing in a field.
    if (ev.key === "/" && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      ev.preventDefault(); $("q").focus();
    }
  });
  window.addEventListener("hashchange", function () { state = readHash(); toControls(); update(true); });

  state = readHash();
  toControls();
  update(true);
})();
