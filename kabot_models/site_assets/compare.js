// The compare page: 2 to 4 models from window.KM_CATALOG side by side; the selection is the hash (#m=id,id).
(function () {
  "use strict";
  var D = window.KM_CATALOG;
  var MAX = 4;
  var byId = {};
  D.models.forEach(function (r) { byId[r.i] = r; });
  var $ = function (id) { return document.getElementById(id); };

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function money(v) { return v === undefined || v === null ? "—" : "$" + (+v.toPrecision(6)).toString(); }
  function count(v) { return v === undefined || v === null ? "—" : v.toLocaleString("en-US"); }
  function selection() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    return (p.get("m") || "").split(",").filter(function (id, n, all) { return id && all.indexOf(id) === n; }).slice(0, MAX);
  }
  function setSelection(ids) {
    history.replaceState(null, "", ids.length ? "#m=" + ids.join(",") : location.pathname);
    render();
  }

  // Rows: [label, value of a model, which end is best ("low", "high" or none)].
  var ROWS = [
    ["Prices, USD per 1M tokens"],
    ["Input", function (r) { return r.pi; }, "low", money],
    ["Output", function (r) { return r.po; }, "low", money],
    ["Cache read", function (r) { return r.pr; }, "low", money],
    ["Cache write", function (r) { return r.pw; }, "low", money],
    ["Long-context prices", function (r) {
      return r.t ? r.t.map(function (t) { return "above " + count(t[0]) + ": " + money(t[1]) + " / " + money(t[2]); }).join("; ") : undefined;
    }],
    ["Limits, tokens"],
    ["Context window", function (r) { return r.c; }, "high", count],
    ["Max output", function (r) { return r.o; }, "high", count],
    ["Model"],
    ["Provider", function (r) { return D.providers[r.p] ? D.providers[r.p].n : r.p; }],
    ["Status", function (r) { return r.s; }],
    ["Mode", function (r) { return r.m; }],
    ["Input kinds", function (r) { return r.mi ? r.mi.join(", ") : undefined; }],
    ["Released", function (r) { return r.r; }],
    ["Knowledge cutoff", function (r) { return r.k; }],
    ["Aliases", function (r) { return r.a ? r.a.join(", ") : undefined; }],
    ["Capabilities"]
  ].concat(D.caps.map(function (c) {
    return [c.replace(/_/g, " "), function (r) { return (r.f || []).indexOf(D.caps.indexOf(c)) >= 0 ? "✓" : "—"; }];
  }));

  function render() {
    var ids = selection();
    var models = ids.map(function (id) { return byId[id]; }).filter(Boolean);
    var unknown = ids.filter(function (id) { return !byId[id]; });
    var msg = unknown.length ? "Not in the catalog: " + unknown.join(", ") + ". " : "";
    if (models.length < 2) msg += "Pick " + (2 - models.length) + " more model" + (models.length === 1 ? "" : "s") + " to compare.";
    else if (models.length === MAX) msg += "Four models: remove one to add another.";
    $("message").textContent = msg;
    $("pick").disabled = $("addbtn").disabled = models.length >= MAX;
    var table = $("compare");
    if (!models.length) { table.innerHTML = ""; return; }
    var head = '<thead><tr><th scope="col"><span class="sr-only">Field</span></th>' + models.map(function (r) {
      return '<th scope="col"><a href="' + esc(r.u) + '">' + esc(r.n) + '</a><div class="id">' + esc(r.i) + "</div>" +
        '<button type="button" class="ghost remove" data-id="' + esc(r.i) + '" aria-label="Remove ' + esc(r.n) + '">Remove</button></th>';
    }).join("") + "</tr></thead>";
    var body = ROWS.map(function (row) {
      if (row.length === 1) return '<tr class="group"><th scope="rowgroup" colspan="' + (models.length + 1) + '">' + esc(row[0]) + "</th></tr>";
      var values = models.map(row[1]);
      var known = values.filter(function (v) { return typeof v === "number"; });
      var best = row[2] && known.length > 1 ? (row[2] === "low" ? Math.min.apply(null, known) : Math.max.apply(null, known)) : undefined;
      if (known.length && known.every(function (v) { return v === known[0]; })) best = undefined;  // a tie is no winner
      var fmt = row[3] || function (v) { return v === undefined || v === null ? "—" : v; };
      return '<tr><th scope="row">' + esc(row[0]) + "</th>" + values.map(function (v) {
        return "<td" + (best !== undefined && v === best ? ' class="best"' : "") + ">" + esc(fmt(v)) + "</td>";
      }).join("") + "</tr>";
    }).join("");
    table.innerHTML = head + "<tbody>" + body + "</tbody>";
  }

  var list = $("ids");
  var frag = document.createDocumentFragment();
  D.models.forEach(function (r) {
    var o = document.createElement("option");
    o.value = r.i;
    o.label = r.n;
    frag.appendChild(o);
  });
  list.appendChild(frag);
  $("add").addEventListener("submit", function () {
    var id = $("pick").value.trim();
    var ids = selection();
    if (!byId[id]) { $("message").textContent = "No model with the id " + id + "; pick one from the list."; return; }
    if (ids.indexOf(id) < 0 && ids.length < MAX) ids.push(id);
    $("pick").value = "";
    setSelection(ids);
    $("pick").focus();
  });
  $("compare").addEventListener("click", function (ev) {
    var btn = ev.target.closest("button.remove");
    if (!btn) return;
    setSelection(selection().filter(function (id) { return id !== btn.dataset.id; }));
  });
  window.addEventListener("hashchange", render);
  render();
})();
