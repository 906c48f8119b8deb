/* cse-graph page: search, filters, legend and the evidence panel over a vis-network graph.
 * Every piece of data reaches the page as JSON and is written into the DOM as text only
 * (textContent, never innerHTML), so a hostile label or quote cannot run script. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("cse-data").textContent);
  var NET = JSON.parse(document.getElementById("cse-network").textContent);
  var t0 = performance.now();

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function tooltip(lines) {
    var d = el("div");
    lines.filter(Boolean).forEach(function (l, i) { var p = el(i ? "div" : "strong", l); d.appendChild(p); });
    return d;
  }

  var byId = {};
  NET.nodes.forEach(function (n) {
    byId[n.id] = n;
    n.title = n.decor ? undefined : tooltip([n.fullLabel || n.label, n.type + (n.date ? " · " + n.date.text : "")]);
  });
  NET.edges.forEach(function (e) {
    e.title = tooltip([e.relation + " (" + e.confidence + ")", e.evidence && e.evidence.length ? "“" + e.evidence[0].quote + "”" : "no quote"]);
  });
  var nodes = new vis.DataSet(NET.nodes);
  var edges = new vis.DataSet(NET.edges);
  var rank = {};
  DATA.confidences.forEach(function (c) { rank[c.name] = c.rank; });

  /* ---------- filters ---------- */
  var state = { families: {}, district: "", from: null, to: null, undated: true, minRank: 0 };
  DATA.legend.forEach(function (l) { state.families[l.family] = true; });

  function overlaps(n) {
    if (state.from === null && state.to === null) return true;
    if (!n.date) return state.undated;
    if (state.from !== null && n.date.latest < state.from + "-01-01") return false;
    if (state.to !== null && n.date.earliest > state.to + "-12-31") return false;
    return true;
  }
  function nodeVisible(n) {
    if (n.decor) return true;
    if (!state.families[n.family]) return false;
    if (state.district && (n.districts || []).indexOf(state.district) < 0) return false;
    return overlaps(n);
  }
  var nodesView = new vis.DataView(nodes, { filter: nodeVisible });
  function edgeVisible(e) {
    if ((rank[e.confidence] || 0) < state.minRank) return false;
    var a = nodes.get(e.from), b = nodes.get(e.to);
    return a && b && nodeVisible(a) && nodeVisible(b);
  }
  var edgesView = new vis.DataView(edges, { filter: edgeVisible });

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, NET.options);

  function entityCount() {   /* a group node of a big view stands for `count` entities */
    return nodesView.get({ filter: function (n) { return !n.decor && n.family !== "page"; } })
      .reduce(function (sum, n) { return sum + (n.count || 1); }, 0);
  }
  function refresh() {
    nodesView.refresh(); edgesView.refresh();
    document.getElementById("counts").textContent = entityCount() + " of " + DATA.entityCount + " entities, " + edgesView.length + " links shown";
  }

  var legend = document.getElementById("legend");
  DATA.legend.forEach(function (l) {
    var lab = el("label");
    var box = el("input"); box.type = "checkbox"; box.checked = true; box.dataset.family = l.family;
    box.addEventListener("change", function () { state.families[l.family] = box.checked; refresh(); });
    var sw = el("span", "", "swatch " + l.shape); sw.style.background = l.color;
    lab.appendChild(box); lab.appendChild(sw); lab.appendChild(el("span", l.label)); lab.appendChild(el("span", l.count, "legend-count"));
    legend.appendChild(lab);
  });
  var dsel = document.getElementById("district");
  DATA.districts.forEach(function (d) { var o = el("option", d.label); o.value = d.id; dsel.appendChild(o); });
  dsel.addEventListener("change", function () { state.district = dsel.value; refresh(); });
  var yf = document.getElementById("year-from"), yt = document.getElementById("year-to");
  yf.placeholder = DATA.years[0] || ""; yt.placeholder = DATA.years[1] || "";
  function years() {
    state.from = yf.value ? parseInt(yf.value, 10) : null; state.to = yt.value ? parseInt(yt.value, 10) : null; refresh();
  }
  yf.addEventListener("change", years); yt.addEventListener("change", years);
  var und = document.getElementById("undated");
  und.addEventListener("change", function () { state.undated = und.checked; refresh(); });
  var csel = document.getElementById("confidence");
  var anyOpt = el("option", "any confidence"); anyOpt.value = "0"; csel.appendChild(anyOpt);
  DATA.confidences.forEach(function (c) { var o = el("option", c.name); o.value = String(c.rank); csel.appendChild(o); });
  csel.addEventListener("change", function () { state.minRank = parseInt(csel.value, 10) || 0; refresh(); });
  function resetFilters() {
    Array.prototype.forEach.call(legend.querySelectorAll("input"), function (b) { b.checked = true; state.families[b.dataset.family] = true; });
    dsel.value = ""; state.district = ""; yf.value = ""; yt.value = ""; state.from = state.to = null;
    und.checked = true; state.undated = true; csel.value = "0"; state.minRank = 0; refresh();
  }
  document.getElementById("reset").addEventListener("click", resetFilters);
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: false }); });

  /* ---------- panel ---------- */
  var panel = document.getElementById("panel");
  function evidenceList(evs) {
    var frag = document.createDocumentFragment();
    if (!evs || !evs.length) { frag.appendChild(el("p", "No passage recorded for this link.", "hint")); return frag; }
    evs.forEach(function (ev) {
      var q = el("blockquote", "“" + ev.quote + "”");
      q.appendChild(el("cite", ev.document_label + (ev.locator ? " — " + ev.locator : "")));
      frag.appendChild(q);
    });
    return frag;
  }
  function nodeButton(id) {
    var n = byId[id];
    var b = el("button", n ? (n.fullLabel || n.label) : id);
    b.type = "button"; b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function showNode(id) {
    var n = byId[id]; if (!n || n.decor) return;
    panel.replaceChildren();
    panel.appendChild(el("h2", n.fullLabel || n.label));
    panel.appendChild(el("p", n.type + (n.idLabel ? " · " + n.idLabel : ""), "meta"));
    if (n.date) panel.appendChild(el("p", "Date: " + n.date.text + " (" + n.date.precision + (n.date.precision === "range" ? ": " + n.date.earliest + " to " + n.date.latest : "") + ")", "meta"));
    if (n.districtLabels && n.districtLabels.length) panel.appendChild(el("p", "Place: " + n.districtLabels.join(", "), "meta"));
    if (n.confidence) { var c = el("p", "Confidence: ", "meta"); c.appendChild(el("span", n.confidence, "conf")); panel.appendChild(c); }
    if (n.description) panel.appendChild(el("p", n.description, "desc"));
    if (n.href) {
      var open = el("a", n.family === "page" ? "Open that page →" : "Open this group →", "open");
      open.href = n.href;   /* a relative path to another page of this export (checked when written) */
      panel.appendChild(el("p")).appendChild(open);
      var kinds = Object.keys(n.kinds || {});
      if (kinds.length > 1) {
        panel.appendChild(el("h3", "What it holds"));
        var kl = el("ul");
        kinds.forEach(function (k) { kl.appendChild(el("li", n.kinds[k] + " · " + k)); });
        panel.appendChild(kl);
      }
      if (n.members && n.members.length) {
        panel.appendChild(el("h3", n.family === "page" ? "Leads to" : "Holds, among others"));
        var ml = el("ul");
        n.members.forEach(function (m) { ml.appendChild(el("li", m)); });
        panel.appendChild(ml);
      }
    }
    if (n.evidence && n.evidence.length) { panel.appendChild(el("h3", "Passages")); panel.appendChild(evidenceList(n.evidence)); }
    var links = edges.get({ filter: function (e) { return e.from === id || e.to === id; } });
    if (links.length) {
      panel.appendChild(el("h3", "Links (" + links.length + ")"));
      var ul = el("ul");
      links.forEach(function (e) {
        var li = el("li");
        var out = e.from === id;
        li.appendChild(el("span", out ? e.relation + " → " : "← " + e.relation + " · "));
        li.appendChild(nodeButton(out ? e.to : e.from));
        li.appendChild(el("span", " ", ""));
        li.appendChild(el("span", e.confidence, "conf"));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
  }
  function showEdge(id) {
    var e = edges.get(id); if (!e) return;
    panel.replaceChildren();
    var h = el("h2");
    h.appendChild(nodeButton(e.from)); h.appendChild(el("span", " — " + e.relation + " → ")); h.appendChild(nodeButton(e.to));
    panel.appendChild(h);
    var c = el("p", "Confidence: ", "meta"); c.appendChild(el("span", e.confidence, "conf")); panel.appendChild(c);
    if (e.scope === "entity") panel.appendChild(el("p", "Stated in the description of " + (byId[e.from] ? byId[e.from].label : e.from) + ":", "meta"));
    if (e.count > 1) {
      var parts = Object.keys(e.breakdown || {}).map(function (k) { return e.breakdown[k] + " " + k; });
      panel.appendChild(el("p", e.count + " links drawn as one (" + parts.join(", ") + ").", "meta"));
    }
    if (e.via && e.via.length) panel.appendChild(el("p", "With: " + e.via.join("; "), "meta"));
    if (e.scope === "bundle" && !(e.evidence && e.evidence.length)) {
      panel.appendChild(el("p", "Open either group to read each link with its passages.", "hint"));
    } else {
      panel.appendChild(el("h3", "Passages"));
      panel.appendChild(evidenceList(e.evidence));
    }
  }
  network.on("click", function (p) {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
  });
  network.on("doubleClick", function (p) {
    var n = p.nodes.length ? byId[p.nodes[0]] : null;
    if (n && n.href) window.location.href = n.href;
  });

  /* ---------- pages of a big view: where this page sits, and a way up ---------- */
  var crumbs = document.getElementById("crumbs");
  (DATA.crumbs || []).forEach(function (c) {
    var a = el("a", c.label); a.href = c.href;
    crumbs.appendChild(a); crumbs.appendChild(el("span", " › "));
  });

  /* ---------- search ---------- */
  var input = document.getElementById("search"), results = document.getElementById("results");
  var searchable = NET.nodes.filter(function (n) { return !n.decor; });
  var index = (DATA.index || []).map(function (x) { return { label: x[0], fullLabel: x[0], type: x[1], page: x[2], id: x[3] }; });
  function norm(s) { return String(s).toLowerCase().normalize("NFKD").replace(/[^\w\s]/g, " ").replace(/\s+/g, " ").trim(); }
  searchable.forEach(function (n) { n._norm = norm((n.fullLabel || n.label) + " " + (n.altLabels || []).join(" ")); });
  index.forEach(function (x) { x._norm = norm(x.label); });
  function focusNode(id) {
    var n = nodes.get(id); if (!n) return false;
    if (!nodeVisible(n)) resetFilters();
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showNode(id);
    results.classList.remove("open");
    return true;
  }
  function search(text) {
    var q = norm(text);
    results.replaceChildren();
    if (!q) { results.classList.remove("open"); return []; }
    var hits = searchable.filter(function (n) { return n._norm.indexOf(q) >= 0; })
      .sort(function (a, b) { return (a._norm.indexOf(q) - b._norm.indexOf(q)) || a._norm.length - b._norm.length; }).slice(0, 15);
    if (index.length) {   /* a big view's first page: every entity, on whichever page shows it */
      hits = index.filter(function (x) { return x._norm.indexOf(q) >= 0; })
        .sort(function (a, b) { return (a._norm.indexOf(q) - b._norm.indexOf(q)) || a._norm.length - b._norm.length; }).slice(0, 15);
    }
    hits.forEach(function (n, i) {
      var li = el("li", n.fullLabel || n.label); li.appendChild(el("small", n.type));
      li.setAttribute("role", "option"); li.setAttribute("aria-selected", i === 0 ? "true" : "false");
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(n); });
      results.appendChild(li);
    });
    results.classList.toggle("open", hits.length > 0);
    return hits;
  }
  function choose(n) {
    if (n.page) { window.location.href = n.page + "#focus=" + encodeURIComponent(n.id); return; }
    focusNode(n.id);
  }
  var lastHits = [];
  input.addEventListener("input", function () { lastHits = search(input.value); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && lastHits.length) { ev.preventDefault(); choose(lastHits[0]); }
    if (ev.key === "Escape") results.classList.remove("open");
  });

  /* ---------- start ---------- */
  refresh();
  var ready = false;
  network.once("afterDrawing", function () {
    var wanted = /^#focus=(.+)$/.exec(window.location.hash);
    var arrival = wanted ? decodeURIComponent(wanted[1]) : null;
    if (arrival && nodes.get(arrival)) {
      focusNode(arrival);
    } else if (DATA.initial && DATA.initial.focus && nodes.get(DATA.initial.focus)) {
      network.focus(DATA.initial.focus, { scale: DATA.initial.scale || 1, animation: false });
      if (DATA.view === "lineage") { network.selectNodes([DATA.initial.focus]); showNode(DATA.initial.focus); }
    } else {
      network.fit({ animation: false });
    }
    ready = true;
    window.cseGraph.interactiveMs = performance.now() - t0;
    window.cseGraph.readyAt = performance.now();   /* ms since the page began to load */
    document.documentElement.setAttribute("data-ready", "true");   // for scripts driving the page
  });
  window.cseGraph = { network: network, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView,
                      focusNode: focusNode, search: search, entityCount: entityCount, data: DATA,
                      isReady: function () { return ready; } };
})();
