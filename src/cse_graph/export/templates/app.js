/* cse-graph page: search, filters, legend, the evidence panel, paths, print and export over a
 * vis-network graph (or, on the timeline page, a vis-timeline).
 * Every piece of data reaches the page as JSON and is written into the DOM as text only
 * (textContent, never innerHTML), so a hostile label or quote cannot run script. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("cse-data").textContent);
  var NET = JSON.parse(document.getElementById("cse-network").textContent);
  var t0 = performance.now();
  var TIMELINE = DATA.view === "timeline";
  var BIG = NET.nodes.length > 400;           /* hover highlighting only where it stays instant */
  var FONT = (NET.options.nodes && NET.options.nodes.font && NET.options.nodes.font.size) || 14;
  var MIN_PX = 11;                            /* smallest label size on screen we open at */

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function tooltip(lines) {
    var d = el("div");
    lines.filter(Boolean).forEach(function (l, i) { d.appendChild(el(i ? "div" : "strong", l)); });
    return d;
  }

  var byId = {};
  NET.nodes.forEach(function (n) {
    byId[n.id] = n;
    var hop = n.hop ? (n.hop < 0 ? (-n.hop) + " step" + (n.hop < -1 ? "s" : "") + " upstream" : n.hop + " step" + (n.hop > 1 ? "s" : "") + " downstream") : null;
    n.title = n.decor ? undefined : tooltip([n.fullLabel || n.label, n.type + (n.date ? " · " + n.date.text : ""), hop]);
    n._base = { color: n.color, font: n.font, opacity: 1 };
  });
  /* ghost links: computed overdue expectations (recommendation -> addressee), never cited, never on a path */
  function cited(e) { return !e.ghost; }
  NET.edges.forEach(function (e) {
    e.title = e.ghost ? tooltip(["Computed, not a cited link", "no recorded response after " + e.overdue.months + " months (" + e.overdue.lag_months + " months to " + e.overdue.measured_to + ")"])
                      : tooltip([e.relation + " (" + e.confidence + ")", e.evidence && e.evidence.length ? "“" + e.evidence[0].quote + "”" : "no quote"]);
    e._base = { color: e.color, width: e.width };
  });
  var nodes = new vis.DataSet(NET.nodes);
  var edges = new vis.DataSet(NET.edges);
  var rank = {};
  DATA.confidences.forEach(function (c) { rank[c.name] = c.rank; });

  /* ---------- filters ---------- */
  var state = { families: {}, district: "", from: null, to: null, undated: true, minRank: 0, asof: null };
  var opening = (DATA.initial && DATA.initial.families) || [];   /* kinds the view opens on ([] = all) */
  function defaultFamily(f) { return !opening.length || opening.indexOf(f) >= 0; }
  DATA.legend.forEach(function (l) { state.families[l.family] = defaultFamily(l.family); });
  var expanded = {};   /* hubs whose own links are drawn (bundled until then) */
  var familyLabel = {};
  DATA.legend.forEach(function (l) { familyLabel[l.family] = l.label; });

  function overlaps(n) {
    if (state.from === null && state.to === null) return true;
    if (!n.date) return state.undated;
    if (state.from !== null && n.date.latest < state.from + "-01-01") return false;
    if (state.to !== null && n.date.earliest > state.to + "-12-31") return false;
    return true;
  }
  /* ---------- as of a date: what did not yet exist is greyed, never removed ----------
   * The rule of `cse-graph known` (explore/known.py), on the dates already in the page: an entity
   * whose earliest date bound is after the date did not yet exist ("after", greyed); one whose
   * bounds span the date "straddles" it (it may not have existed yet: drawn, marked); one whose
   * latest bound is on or before it existed ("before"); an undated one is left as it is. */
  function asofOf(n) {
    if (!state.asof || !n || n.decor || n.href) return null;
    if (!n.date) return "undated";
    if (n.date.earliest > state.asof) return "after";
    if (n.date.latest > state.asof) return "straddles";
    return "before";
  }
  var GREY_FONT = "#8a94a6";
  function baseOpacity(n) { return asofOf(n) === "after" ? 0.22 : 1; }
  function baseFont(n) { return asofOf(n) === "after" ? { color: GREY_FONT } : (n._base.font || { color: "#1d2430" }); }
  function baseEdgeColor(e) {
    if (asofOf(byId[e.from]) !== "after" && asofOf(byId[e.to]) !== "after") return e._base.color;
    var c = e._base.color || {};
    return { color: "#d8dde6", highlight: c.highlight, hover: c.hover };
  }
  function asofText(n, a) {
    var d = n.date;
    if (a === "after") return "As of " + state.asof + ": did not yet exist (its earliest date is " + d.earliest + ").";
    if (a === "straddles") return "As of " + state.asof + ": straddles the date — its dates span " + d.earliest + " to " + d.latest + ", so it may not have existed yet.";
    if (a === "before") return "As of " + state.asof + ": already existed (dated " + d.text + ").";
    return "Undated: the as-of date cannot place it, so it is drawn as it is.";
  }
  function asofCounts() {
    var c = { before: 0, straddles: 0, after: 0, undated: 0 };
    NET.nodes.forEach(function (n) { var a = asofOf(n); if (a) c[a]++; });
    return c;
  }

  function applyAsof() {
    if (R.asof) R.asof();
    if (TIMELINE) return;
    var nu = [], eu = [];
    NET.nodes.forEach(function (n) { nu.push({ id: n.id, opacity: baseOpacity(n), font: baseFont(n) }); });
    NET.edges.forEach(function (e) { eu.push({ id: e.id, color: baseEdgeColor(e), width: e._base.width }); });
    nodes.update(nu); edges.update(eu);
    if (currentPath && currentPath.set) R.highlight(currentPath.set, true);
    else if (selected && nodeVisible(byId[selected])) R.highlight(focusSet(selected), false);
  }

  /* which filters hide a node: [{label, lift()}] (empty = visible) */
  var shownWith = {};   /* entities drawn because a neighbour was expanded, whatever the filters: id -> [expanded ids] */
  var opened = {};      /* expanded entities */
  function hiders(n) {
    var out = [];
    if (n.decor || shownWith[n.id]) return out;
    if (!state.families[n.family]) out.push({ label: "“" + (familyLabel[n.family] || n.family) + "” is unticked", lift: function () { setFamily(n.family, true); } });
    if (state.district && (n.districts || []).indexOf(state.district) < 0) out.push({ label: "the place filter (" + dsel.options[dsel.selectedIndex].text + ")", lift: function () { dsel.value = ""; state.district = ""; } });
    if (!overlaps(n)) out.push({ label: n.date ? "the years filter" : "“include undated” is off", lift: function () {
      if (!n.date) { und.checked = true; state.undated = true; } else { yf.value = ""; yt.value = ""; state.from = state.to = null; } } });
    return out;
  }
  function nodeVisible(n) { return hiders(n).length === 0; }
  var nodesView = new vis.DataView(nodes, { filter: nodeVisible });
  function edgeVisible(e) {
    if (!e.ghost && (rank[e.confidence] || 0) < state.minRank) return false;
    if (e.hub && !expanded[e.hub]) return false;
    var a = nodes.get(e.from), b = nodes.get(e.to);
    return a && b && nodeVisible(a) && nodeVisible(b);
  }
  var edgesView = new vis.DataView(edges, { filter: edgeVisible });

  var container = document.getElementById("graph");
  var R = TIMELINE ? timelineRenderer() : networkRenderer();

  function entityCount() {   /* a group node of a big view stands for `count` entities */
    return nodesView.get({ filter: function (n) { return !n.decor && n.family !== "page"; } })
      .reduce(function (sum, n) { return sum + (n.count || 1); }, 0);
  }
  function refresh() {
    nodesView.refresh(); edgesView.refresh();
    if (R.refresh) R.refresh();
    var ghosts = TIMELINE ? 0 : edgesView.get({ filter: function (e) { return e.ghost; } }).length;
    document.getElementById("counts").textContent = entityCount() + " of " + DATA.entityCount + " entities, " + (TIMELINE ? R.itemCount() + " bars" : (edgesView.length - ghosts) + " links") + " shown" +
      (ghosts ? " (and " + ghosts + " overdue expectation" + (ghosts > 1 ? "s" : "") + ", computed)" : "");
    drawnList();
    saveHash();
  }

  var legend = document.getElementById("legend");
  DATA.legend.forEach(function (l) {
    var lab = el("label");
    var box = el("input"); box.type = "checkbox"; box.checked = state.families[l.family]; box.dataset.family = l.family;
    box.addEventListener("change", function () { state.families[l.family] = box.checked; refresh(); });
    var sw = el("span", "", "swatch " + l.shape); sw.style.background = l.color;
    lab.appendChild(box); lab.appendChild(sw); lab.appendChild(el("span", l.label)); lab.appendChild(el("span", l.count, "legend-count"));
    legend.appendChild(lab);
  });
  function setFamily(f, on) {
    state.families[f] = on;
    var b = legend.querySelector("input[data-family='" + f + "']"); if (b) b.checked = on;
  }
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
  var asofIn = document.getElementById("asof"), asofRange = document.getElementById("asof-range"), asofNote = document.getElementById("asof-note");
  var DAY = /^\d{4}-\d{2}-\d{2}$/;
  var firstYear = parseInt(DATA.years[0], 10), lastYear = parseInt(DATA.years[1], 10);
  if (isNaN(firstYear)) asofIn.parentNode.hidden = true;   /* nothing dated: nothing to place */
  else {
    asofRange.min = String(firstYear * 12); asofRange.max = String(lastYear * 12 + 11); asofRange.value = asofRange.max;
    asofIn.min = firstYear + "-01-01"; asofIn.max = lastYear + "-12-31";
  }
  function monthEnd(k) { return new Date(Date.UTC(Math.floor(k / 12), k % 12 + 1, 0)).toISOString().slice(0, 10); }
  function setAsof(day) {
    state.asof = day && DAY.test(day) ? day : null;
    asofIn.value = state.asof || "";
    if (state.asof) asofRange.value = String(parseInt(state.asof.slice(0, 4), 10) * 12 + parseInt(state.asof.slice(5, 7), 10) - 1);
    else asofRange.value = asofRange.max;
    var c = asofCounts();
    asofNote.textContent = state.asof ? "As of " + state.asof + ": " + c.before + " existed, " + c.straddles + " straddle the date (dashed ring), " +
      c.after + " did not yet exist (greyed); " + c.undated + " undated, left as they are." : "Pick a date to grey out what did not yet exist.";
    applyAsof();
  }
  asofIn.addEventListener("change", function () { setAsof(asofIn.value); afterAsof(); });
  asofRange.addEventListener("input", function () { setAsof(monthEnd(parseInt(asofRange.value, 10))); afterAsof(); });
  document.getElementById("asof-clear").addEventListener("click", function () { setAsof(null); afterAsof(); });
  function afterAsof() { if (selected && !currentPath) showNode(selected); saveHash(); }
  function resetFilters() {
    Array.prototype.forEach.call(legend.querySelectorAll("input"), function (b) { b.checked = true; state.families[b.dataset.family] = true; });
    dsel.value = ""; state.district = ""; yf.value = ""; yt.value = ""; state.from = state.to = null;
    und.checked = true; state.undated = true; csel.value = "0"; state.minRank = 0; setAsof(null); refresh();
  }
  document.getElementById("reset").addEventListener("click", resetFilters);
  document.getElementById("fit").addEventListener("click", function () { R.fitAll(); });

  /* ---------- drawers (filters everywhere; the panel on small screens) ---------- */
  var filtersBox = document.getElementById("filters"), filtersBtn = document.getElementById("toggle-filters");
  function openFilters(open) {
    filtersBox.classList.toggle("open", open); filtersBtn.setAttribute("aria-expanded", open ? "true" : "false");
  }
  filtersBtn.addEventListener("click", function () { openFilters(!filtersBox.classList.contains("open")); });
  document.getElementById("close-filters").addEventListener("click", function () { openFilters(false); filtersBtn.focus(); });
  var panel = document.getElementById("panel"), panelBody = document.getElementById("panel-body");
  document.getElementById("close-panel").addEventListener("click", function () { panel.classList.remove("open"); });
  function showPanel() { panel.classList.add("open"); panel.scrollTop = 0; }

  /* ---------- panel ---------- */
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
  function label(id) { var n = byId[id]; return n ? (n.fullLabel || n.label) : id; }
  function nodeButton(id) {
    var b = el("button", label(id), "link");
    b.type = "button"; b.addEventListener("click", function () { select(id, true); });
    return b;
  }
  function action(text, fn, cls) {
    var b = el("button", text, cls || ""); b.type = "button"; b.addEventListener("click", fn); return b;
  }
  /* recurrence groups (curated, each member with its passage): member or group id -> [groups] */
  var recGroups = {};
  (DATA.recurrence || []).forEach(function (g) {
    [g.id].concat(g.members.map(function (m) { return m.id; })).forEach(function (k) { (recGroups[k] = recGroups[k] || []).push(g); });
  });
  function recurrenceSection(id, g) {
    var sec = el("section", null, "recurrence");
    sec.appendChild(el("h3", (g.id === id ? "The recurring lesson" : "A recurring lesson") + ": " + g.label));
    var yrs = g.years.length ? (g.years.length > 1 ? g.years[0] + "–" + g.years[g.years.length - 1] : String(g.years[0])) : "undated";
    sec.appendChild(el("p", g.members.length + " occurrences in " + g.documents + " documents, " + yrs + "; " +
      (g.responses ? g.responses + " recorded response" + (g.responses > 1 ? "s" : "") : "no recorded response") +
      ". A group someone checked (data/recurrence.ttl), each occurrence with its passage.", "meta"));
    var ol = el("ol", null, "members");
    g.members.forEach(function (m) {
      var li = el("li", null, m.id === id ? "current" : "");
      if (m.id === id) li.appendChild(el("strong", m.label + " (this one)"));
      else if (byId[m.id]) li.appendChild(nodeButton(m.id));
      else li.appendChild(el("span", m.label + " (not drawn on this page)"));
      li.appendChild(el("div", m.type + " · " + (m.document_label || "no document") + (m.year ? ", " + m.year : ""), "meta"));
      li.appendChild(evidenceList(m.evidence));
      ol.appendChild(li);
    });
    sec.appendChild(ol);
    return sec;
  }
  function showNode(id) {
    var n = byId[id]; if (!n || n.decor) return;
    panelBody.replaceChildren();
    panelBody.appendChild(el("h2", n.fullLabel || n.label));
    panelBody.appendChild(el("p", n.type + (n.idLabel ? " · " + n.idLabel : ""), "meta"));
    if (n.hop) panelBody.appendChild(el("p", (n.hop < 0 ? -n.hop + " step(s) upstream of " : n.hop + " step(s) downstream of ") + label(DATA.initial.focus), "meta"));
    if (n.date) panelBody.appendChild(el("p", "Date: " + n.date.text + " (" + n.date.precision + (n.date.precision === "range" ? ": " + n.date.earliest + " to " + n.date.latest : "") + ")", "meta"));
    if (n.districtLabels && n.districtLabels.length) panelBody.appendChild(el("p", "Place: " + n.districtLabels.join(", "), "meta"));
    var ao = asofOf(n);
    if (ao) panelBody.appendChild(el("p", asofText(n, ao), "asof asof-" + ao));
    if (n.confidence) { var c = el("p", "Confidence: ", "meta"); c.appendChild(el("span", n.confidence, "conf")); panelBody.appendChild(c); }
    var why = hiders(n);
    if (why.length) {
      var w = el("p", "Hidden by " + why.map(function (h) { return h.label; }).join(" and ") + ". ", "warn");
      why.forEach(function (h) { w.appendChild(action("Lift " + (why.length > 1 ? "“" + h.label + "”" : "that filter"), function () { h.lift(); refresh(); select(id, true); })); });
      panelBody.appendChild(w);
    }
    if (n.overdue) {
      var od = n.overdue, box = el("div", null, "ghost-note");
      box.appendChild(el("strong", "Overdue — computed, not a cited link"));
      var gs = edges.get({ filter: function (e) { return e.ghost && e.from === id; } });
      box.appendChild(el("p", "No recorded response within " + od.months + " months of " + od.made_in_label + ": " + od.lag_months + " months to " +
        (od.first_response ? "its first recorded response (" + od.first_response + ")" : od.measured_to) + "." +
        (gs.length ? " The dashed, hollow link to whom it was addressed (" + gs.map(function (e) { return label(e.to); }).join(", ") + ") is this expectation." : " The data names no addressee, so no ghost link is drawn.")));
      gs.forEach(function (e) {   /* an addressee a filter hides: its ghost link is not drawn; say so, offer to lift just that */
        var why = byId[e.to] ? hiders(byId[e.to]) : [];
        if (!why.length) return;
        var w = el("p", "The link to " + label(e.to) + " is not drawn: " + why[0].label + ". ", "warn");
        w.appendChild(action("Lift that filter", function () { why[0].lift(); refresh(); select(id, false); }));
        box.appendChild(w);
      });
      box.appendChild(el("p", "Rule: " + od.rule + " (cse-graph gaps --overdue " + od.months + ").", "meta"));
      panelBody.appendChild(box);
    }
    (recGroups[id] || []).forEach(function (g) { panelBody.appendChild(recurrenceSection(id, g)); });
    if (n.ghostAddressee) panelBody.appendChild(el("p", "Not part of this chain: drawn as the addressee of an overdue recommendation (a computed, dashed link).", "meta"));
    if (n.description) panelBody.appendChild(el("p", n.description, "desc"));
    if (n.href) {
      var open = el("a", n.family === "page" ? "Open that page →" : "Open this group →", "open");
      open.href = n.href;   /* a relative path to another page of this export (checked when written) */
      panelBody.appendChild(el("p")).appendChild(open);
      var kinds = Object.keys(n.kinds || {});
      if (kinds.length > 1) {
        panelBody.appendChild(el("h3", "What it holds"));
        var kl = el("ul");
        kinds.forEach(function (k) { kl.appendChild(el("li", n.kinds[k] + " · " + k)); });
        panelBody.appendChild(kl);
      }
      if (n.members && n.members.length) {
        panelBody.appendChild(el("h3", n.family === "page" ? "Leads to" : "Holds, among others"));
        var ml = el("ul");
        n.members.forEach(function (m) { ml.appendChild(el("li", m)); });
        panelBody.appendChild(ml);
      }
    }
    if (!n.href) {
      var tools = el("p", null, "tools");
      if (pathFrom && pathFrom !== id) tools.appendChild(action("Path from " + label(pathFrom) + " to here", function () { setPath(pathFrom, id); }, "primary"));
      tools.appendChild(action(pathFrom === id ? "Now choose the other end…" : "Find a path from here…", function () { pathFrom = id; pathTo = null; showNode(id); input.focus(); }));
      if (!TIMELINE && R.expand) tools.appendChild(opened[id] ? action("Collapse its neighbours", function () { collapse(id); })
                                                          : action("Expand: draw all its neighbours", function () { expand(id); }));
      if (n.hubLinks) tools.appendChild(action(expanded[id] ? "Bundle its " + n.hubLinks + " links again" : "Draw its " + n.hubLinks + " links",
        function () { expanded[id] = !expanded[id]; refresh(); showNode(id); }));
      tools.appendChild(action("Export CSV", function () { exportSelection("csv"); }));
      tools.appendChild(action("Export JSON", function () { exportSelection("json"); }));
      panelBody.appendChild(tools);
    }
    if (n.evidence && n.evidence.length) { panelBody.appendChild(el("h3", "Passages")); panelBody.appendChild(evidenceList(n.evidence)); }
    var links = edges.get({ filter: function (e) { return e.from === id || e.to === id; } });
    if (links.length) {
      panelBody.appendChild(el("h3", "Links (" + links.length + ")"));
      var ul = el("ul");
      links.forEach(function (e) {
        var li = el("li");
        var out = e.from === id;
        var rel = e.ghost ? "no recorded response after " + e.overdue.months + " months" : e.relation;
        li.appendChild(el("span", out ? rel + " → " : "← " + rel + " · "));
        li.appendChild(nodeButton(out ? e.to : e.from));
        li.appendChild(el("span", " ", ""));
        li.appendChild(el("span", e.confidence, "conf"));
        ul.appendChild(li);
      });
      panelBody.appendChild(ul);
    }
    showPanel();
  }
  function showEdge(id) {
    var e = edges.get(id); if (!e) return;
    panelBody.replaceChildren();
    if (e.ghost) {
      var gh = el("h2");
      gh.appendChild(nodeButton(e.from)); gh.appendChild(el("span", " — no recorded response after " + e.overdue.months + " months → ")); gh.appendChild(nodeButton(e.to));
      panelBody.appendChild(gh);
      var gb = el("div", null, "ghost-note");
      gb.appendChild(el("strong", "Computed, not a cited link"));
      gb.appendChild(el("p", "An overdue expectation: this recommendation of " + e.overdue.made_in_label + " is addressed to " + label(e.to) +
        ", and the graph records no response to it within " + e.overdue.months + " months (" + e.overdue.lag_months + " months to " +
        (e.overdue.first_response ? "its first recorded response, " + e.overdue.first_response : e.overdue.measured_to) + "). No passage says this; the sources may simply be silent. It is never part of a path."));
      gb.appendChild(el("p", "Rule: " + e.overdue.rule + " (cse-graph gaps --overdue " + e.overdue.months + ").", "meta"));
      panelBody.appendChild(gb);
      showPanel();
      return;
    }
    var h = el("h2");
    h.appendChild(nodeButton(e.from)); h.appendChild(el("span", " — " + e.relation + " → ")); h.appendChild(nodeButton(e.to));
    panelBody.appendChild(h);
    var c = el("p", "Confidence: ", "meta"); c.appendChild(el("span", e.confidence, "conf")); panelBody.appendChild(c);
    if (e.scope === "entity") panelBody.appendChild(el("p", "Stated in the description of " + label(e.from) + ":", "meta"));
    if (e.count > 1) {
      var parts = Object.keys(e.breakdown || {}).map(function (k) { return e.breakdown[k] + " " + k; });
      panelBody.appendChild(el("p", e.count + " links drawn as one (" + parts.join(", ") + ").", "meta"));
    }
    if (e.via && e.via.length) panelBody.appendChild(el("p", "With: " + e.via.join("; "), "meta"));
    if (e.scope === "bundle" && !(e.evidence && e.evidence.length)) {
      panelBody.appendChild(el("p", "Open either group to read each link with its passages.", "hint"));
    } else {
      panelBody.appendChild(el("h3", "Passages"));
      panelBody.appendChild(evidenceList(e.evidence));
    }
    showPanel();
  }

  /* ---------- expand / collapse a neighbourhood (drawn even where the filters hide its kind) ---------- */
  function neighbours(id) {
    var out = [];
    edges.get().forEach(function (e) {
      if (e.ghost || (rank[e.confidence] || 0) < state.minRank) return;
      if (e.from === id) out.push(e.to); else if (e.to === id) out.push(e.from);
    });
    return out;
  }
  function expand(id) {
    opened[id] = true; expanded[id] = true;   /* a hub's bundled links too */
    neighbours(id).forEach(function (m) { (shownWith[m] = shownWith[m] || []).push(id); });
    (shownWith[id] = shownWith[id] || []).push(id);
    refresh(); R.expand(id); showNode(id); saveHash();
  }
  function collapse(id) {
    delete opened[id]; delete expanded[id];
    Object.keys(shownWith).forEach(function (m) {
      shownWith[m] = shownWith[m].filter(function (x) { return x !== id; });
      if (!shownWith[m].length) delete shownWith[m];
    });
    refresh(); R.highlight(null); showNode(id); saveHash();
  }

  /* ---------- focus + context: a node's upstream and downstream chain ---------- */
  function chainOf(id) {
    var up = {}, down = {}, es = edgesView.get({ filter: cited });
    function walk(start, seen, fwd) {
      var stack = [start];
      while (stack.length) {
        var cur = stack.pop();
        es.forEach(function (e) {
          var a = fwd ? e.from : e.to, b = fwd ? e.to : e.from;
          if (a === cur && !seen[b]) { seen[b] = true; stack.push(b); }
        });
      }
    }
    walk(id, up, false); walk(id, down, true);
    var ns = {}; ns[id] = true;
    Object.keys(up).forEach(function (k) { ns[k] = true; });
    Object.keys(down).forEach(function (k) { ns[k] = true; });
    var ids = es.filter(function (e) { return (ns[e.from] && ns[e.to]) && ((up[e.from] || e.from === id) && (up[e.to] || e.to === id) || (down[e.from] || e.from === id) && (down[e.to] || e.to === id)); })
      .map(function (e) { return e.id; });
    return { nodes: ns, edges: ids };
  }

  /* what selecting or hovering a node lights up: its chain, and its own ghost links (not part of any chain) */
  function focusSet(id) {
    var set = chainOf(id);
    edgesView.get({ filter: function (e) { return e.ghost && (e.from === id || e.to === id); } }).forEach(function (e) {
      set.edges.push(e.id); set.nodes[e.from] = set.nodes[e.to] = true;
    });
    return set;
  }

  /* ---------- paths between two entities: breadth-first over the drawn, cited links ---------- */
  var pathFrom = null, pathTo = null, currentPath = null;
  function shortestPaths(a, b, limit) {
    var adj = {};
    edgesView.get({ filter: cited }).forEach(function (e) {
      (adj[e.from] = adj[e.from] || []).push([e.to, e.id]);
      (adj[e.to] = adj[e.to] || []).push([e.from, e.id]);
    });
    var dist = {}, preds = {}; dist[a] = 0;
    var queue = [a], head = 0;
    while (head < queue.length) {
      var cur = queue[head++];
      if (cur === b) break;
      (adj[cur] || []).forEach(function (x) {
        var nxt = x[0];
        if (dist[nxt] === undefined) { dist[nxt] = dist[cur] + 1; preds[nxt] = [[cur, x[1]]]; queue.push(nxt); }
        else if (dist[nxt] === dist[cur] + 1) preds[nxt].push([cur, x[1]]);
      });
    }
    if (dist[b] === undefined) return [];
    var out = [];
    (function back(node, tail) {
      if (out.length >= limit) return;
      if (node === a) { out.push(tail.slice()); return; }
      (preds[node] || []).forEach(function (p) { tail.unshift({ from: p[0], to: node, edge: p[1] }); back(p[0], tail); tail.shift(); });
    })(b, []);
    return out;
  }
  function setPath(a, b) {
    pathFrom = a; pathTo = b;
    var paths = shortestPaths(a, b, 5);
    currentPath = { from: a, to: b, paths: paths };
    panelBody.replaceChildren();
    panelBody.appendChild(el("h2", "Path: " + label(a) + " → " + label(b)));
    if (!paths.length) {
      panelBody.appendChild(el("p", "No chain of drawn links joins them" + (state.minRank || !allShown() ? " with the current filters (try Reset filters)." : "."), "warn"));
    } else {
      panelBody.appendChild(el("p", paths.length + (paths.length === 5 ? "+" : "") + " shortest path" + (paths.length > 1 ? "s" : "") + " of " + paths[0].length + " step" + (paths[0].length > 1 ? "s" : "") + "; the first, step by step:", "meta"));
      var ol = el("ol", null, "steps");
      paths[0].forEach(function (s) {
        var e = edges.get(s.edge), li = el("li");
        var p = el("p");
        p.appendChild(nodeButton(e.from)); p.appendChild(el("span", " — " + e.relation + " (" + e.confidence + ") → ")); p.appendChild(nodeButton(e.to));
        li.appendChild(p); li.appendChild(evidenceList(e.evidence));
        ol.appendChild(li);
      });
      panelBody.appendChild(ol);
    }
    panelBody.appendChild(action("Clear path", function () { clearPath(); }));
    var ns = {}, es = [];
    paths.forEach(function (p) { p.forEach(function (s) { ns[s.from] = ns[s.to] = true; es.push(s.edge); }); });
    ns[a] = ns[b] = true;
    currentPath.set = { nodes: ns, edges: es };
    R.highlight(currentPath.set, true);
    R.showAll(Object.keys(ns));
    selected = null;
    showPanel(); renderPrint(); saveHash();
  }
  function clearPath() { currentPath = null; pathFrom = pathTo = null; R.highlight(null); renderPrint(); saveHash(); panelBody.replaceChildren(el("p", "Path cleared.", "hint")); }
  function allShown() { return entityCount() === DATA.entityCount; }

  /* ---------- selection ---------- */
  var selected = null;
  function select(id, move) {
    var n = nodes.get(id); if (!n) return false;
    selected = id; currentPath = null; pathTo = null;
    if (n.hubLinks && !expanded[id]) { expanded[id] = true; refresh(); }
    if (nodeVisible(n)) {
      R.select(id, move);
      R.highlight(focusSet(id), false);
    }
    showNode(id);
    results.classList.remove("open"); input.setAttribute("aria-expanded", "false");
    renderPrint(); saveHash();
    return true;
  }
  function unselect() { selected = null; R.highlight(null); renderPrint(); saveHash(); }

  /* ---------- state in the address: #sel=…&path=a~b&off=family,…&place=…&from=…&to=…&conf=…&undated=0 ---------- */
  var restoring = true;     /* until the address has been read, nothing may overwrite it */
  function saveHash() {
    if (restoring) return;
    var p = new URLSearchParams();
    if (currentPath) p.set("path", currentPath.from + "~" + currentPath.to);
    else if (selected) p.set("sel", selected);
    var off = Object.keys(state.families).filter(function (f) { return !state.families[f]; });
    var asOpened = Object.keys(state.families).every(function (f) { return state.families[f] === defaultFamily(f); });
    if (!asOpened) p.set("off", off.length ? off.join(",") : "none");
    if (state.district) p.set("place", state.district);
    if (state.from !== null) p.set("from", state.from);
    if (state.to !== null) p.set("to", state.to);
    if (state.minRank) p.set("conf", state.minRank);
    if (!state.undated) p.set("undated", "0");
    if (state.asof) p.set("asof", state.asof);
    if (Object.keys(opened).length) p.set("open", Object.keys(opened).join(" "));
    var h = p.toString();
    if (("#" + h) !== window.location.hash && !(h === "" && window.location.hash === "")) {
      history.replaceState(null, "", h ? "#" + h : window.location.pathname + window.location.search);
    }
  }
  function restoreHash() {
    var h = window.location.hash.replace(/^#/, "");
    if (!h) { restoring = false; return false; }
    var p = new URLSearchParams(h);
    restoring = true;
    if (p.has("off")) {
      var off = p.get("off").split(",");
      Object.keys(state.families).forEach(function (f) { setFamily(f, off.indexOf(f) < 0); });
    }
    if (p.get("place")) { dsel.value = p.get("place"); state.district = dsel.value; }
    if (p.get("from")) { yf.value = p.get("from"); state.from = parseInt(yf.value, 10); }
    if (p.get("to")) { yt.value = p.get("to"); state.to = parseInt(yt.value, 10); }
    if (p.get("conf")) { csel.value = p.get("conf"); state.minRank = parseInt(csel.value, 10) || 0; }
    if (p.get("undated") === "0") { und.checked = false; state.undated = false; }
    if (DAY.test(p.get("asof") || "")) setAsof(p.get("asof"));
    (p.get("open") || "").split(" ").filter(function (x) { return nodes.get(x); }).forEach(function (x) {
      opened[x] = true; expanded[x] = true;
      neighbours(x).concat([x]).forEach(function (m) { (shownWith[m] = shownWith[m] || []).push(x); });
    });
    refresh();
    restoring = false;
    var sel = p.get("sel") || p.get("focus"), path = p.get("path");
    if (path && path.indexOf("~") > 0) {
      var ab = path.split("~");
      if (nodes.get(ab[0]) && nodes.get(ab[1])) { setPath(ab[0], ab[1]); return true; }
    }
    if (sel && nodes.get(sel)) { select(sel, true); return true; }
    saveHash();
    return false;
  }

  /* ---------- pages of a big view: where this page sits, and a way up ---------- */
  var crumbs = document.getElementById("crumbs");
  (DATA.crumbs || []).forEach(function (c) {
    var a = el("a", c.label); a.href = c.href;
    crumbs.appendChild(a); crumbs.appendChild(el("span", " › "));
  });

  /* ---------- search: exact > prefix > word > substring > fuzzy; main kinds first ---------- */
  var input = document.getElementById("search"), results = document.getElementById("results"), status = document.getElementById("search-status");
  var SECONDARY = { ambiguity: 1, statistics: 1, concept: 1, other: 1, page: 1 };
  var searchable = NET.nodes.filter(function (n) { return !n.decor; });
  var index = (DATA.index || []).map(function (x) { return { label: x[0], fullLabel: x[0], type: x[1], page: x[2], id: x[3] }; });
  function norm(s) { return String(s).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\w\s]/g, " ").replace(/\s+/g, " ").trim(); }
  searchable.forEach(function (n) { n._names = [norm(n.fullLabel || n.label)].concat((n.altLabels || []).map(norm)); });
  index.forEach(function (x) { x._names = [norm(x.label)]; x.family = /Observation|Figure/.test(x.type) ? "statistics" : (/Ambiguity/.test(x.type) ? "ambiguity" : "main"); });
  function lev(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[b.length];
  }
  function tier(name, q, qwords) {
    if (name === q) return 0;
    if (name.indexOf(q) === 0) return 1;
    if ((" " + name).indexOf(" " + q) >= 0) return 2;
    if (name.indexOf(q) >= 0) return 3;
    var words = name.split(" ");
    var ok = qwords.every(function (w) {
      if (w.length < 4) return words.some(function (x) { return x.indexOf(w) === 0; });
      var max = w.length >= 8 ? 2 : 1;
      return words.some(function (x) { return lev(w, x.slice(0, w.length + max), max) <= max || lev(w, x, max) <= max; });
    });
    return ok ? 4 : 99;
  }
  function rankHits(list, q) {
    var qwords = q.split(" ");
    var scored = [];
    list.forEach(function (n) {
      var best = 99;
      n._names.forEach(function (name, i) { best = Math.min(best, tier(name, q, qwords) + (i ? 0.5 : 0)); });
      if (best < 99) scored.push([best + (SECONDARY[n.family] ? 2.5 : 0), n._names[0].length, n._names[0], n]);
    });
    scored.sort(function (a, b) { return (a[0] - b[0]) || (a[1] - b[1]) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
    return scored.slice(0, 15).map(function (s) { return s[3]; });
  }
  var lastHits = [], active = -1;
  function setActive(i) {
    var lis = results.querySelectorAll("li[role=option]");
    if (!lis.length) return;
    active = (i + lis.length) % lis.length;
    Array.prototype.forEach.call(lis, function (li, k) { li.setAttribute("aria-selected", k === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", lis[active].id);
    lis[active].scrollIntoView({ block: "nearest" });
  }
  function search(text) {
    var q = norm(text);
    results.replaceChildren(); active = -1; input.removeAttribute("aria-activedescendant");
    if (!q) { results.classList.remove("open"); input.setAttribute("aria-expanded", "false"); status.textContent = ""; return []; }
    var hits = rankHits(index.length ? index : searchable, q);
    hits.forEach(function (n, i) {
      var li = el("li", n.fullLabel || n.label); li.appendChild(el("small", n.type + (n.page ? " · another page" : (byId[n.id] && !nodeVisible(byId[n.id]) ? " · hidden by a filter" : ""))));
      li.setAttribute("role", "option"); li.id = "opt-" + i;
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(n); });
      results.appendChild(li);
    });
    results.classList.toggle("open", hits.length > 0);
    input.setAttribute("aria-expanded", hits.length ? "true" : "false");
    status.textContent = hits.length ? hits.length + (hits.length === 15 ? "+" : "") + " matches; arrow keys to move, Enter to choose" : "No match for “" + text + "”";
    status.classList.toggle("nomatch", !hits.length);
    if (hits.length) setActive(0);
    return hits;
  }
  function choose(n) {
    if (n.page) { window.location.href = n.page + "#sel=" + encodeURIComponent(n.id); return; }
    if (pathFrom && !pathTo && n.id !== pathFrom) { setPath(pathFrom, n.id); results.classList.remove("open"); return; }
    select(n.id, true);
  }
  input.addEventListener("input", function () { lastHits = search(input.value); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" && lastHits.length) { ev.preventDefault(); if (!results.classList.contains("open")) results.classList.add("open"); setActive(active + 1); }
    else if (ev.key === "ArrowUp" && lastHits.length) { ev.preventDefault(); setActive(active - 1); }
    else if (ev.key === "Enter" && lastHits.length) { ev.preventDefault(); choose(lastHits[Math.max(active, 0)]); }
    else if (ev.key === "Escape") { results.classList.remove("open"); input.setAttribute("aria-expanded", "false"); }
  });

  /* ---------- every drawn entity as a keyboard-reachable list (filtered like the drawing) ---------- */
  var drawn = document.getElementById("drawn");
  function drawnList() {
    var list = nodesView.get({ filter: function (n) { return !n.decor; } })
      .sort(function (a, b) { return ((a.date || {}).earliest || "9999") < ((b.date || {}).earliest || "9999") ? -1 : 1; });
    document.getElementById("drawn-count").textContent = String(list.length);
    if (!drawn.parentNode.open) return;    /* built when the reader opens it */
    drawn.replaceChildren();
    list.slice(0, 3000).forEach(function (n) {
      var li = el("li"); li.appendChild(nodeButton(n.id));
      if (n.date) li.appendChild(el("small", " " + n.date.text));
      drawn.appendChild(li);
    });
  }
  drawn.parentNode.addEventListener("toggle", drawnList);

  /* ---------- print: the current chain as numbered, cited sentences ---------- */
  var printBox = document.getElementById("print-chain");
  function renderPrint() {
    var es, title;
    if (currentPath && currentPath.paths.length) {
      es = currentPath.paths[0].map(function (s) { return edges.get(s.edge); });
      title = "Path from " + label(currentPath.from) + " to " + label(currentPath.to);
    } else if (selected) {
      var ch = chainOf(selected);
      es = edges.get(ch.edges); title = "The chain around " + label(selected);
    } else {
      es = edgesView.get({ filter: cited }); title = DATA.title;
    }
    es = es.filter(Boolean).sort(function (a, b) {
      var da = (byId[a.to].date || {}).earliest || "9999", db = (byId[b.to].date || {}).earliest || "9999";
      return da < db ? -1 : da > db ? 1 : 0;
    });
    printBox.replaceChildren();
    printBox.appendChild(el("h2", title));
    printBox.appendChild(el("p", es.length + " cited links, oldest first. From " + DATA.title + ".", "meta"));
    var ol = el("ol");
    es.slice(0, 500).forEach(function (e, i) {
      var d = byId[e.to].date, li = el("li");
      li.appendChild(el("p", (i + 1) + ". " + (d ? d.text : "Undated") + ": " + (e.sentence || (label(e.from) + " " + e.relation + " " + label(e.to))) + "."));
      (e.evidence || []).forEach(function (ev) {
        li.appendChild(el("p", "— " + ev.document_label + (ev.locator ? ", " + ev.locator : "") + ": “" + ev.quote + "”", "cite"));
      });
      ol.appendChild(li);
    });
    printBox.appendChild(ol);
  }

  /* ---------- take away: the selection as CSV / JSON, the drawing as PNG ---------- */
  function download(name, type, text) {
    var a = el("a"); a.download = name;
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }
  function selectionData() {
    var ns, es;
    if (currentPath && currentPath.paths.length) { es = currentPath.paths[0].map(function (s) { return edges.get(s.edge); }); }
    else if (selected) { es = edges.get(chainOf(selected).edges); }
    else { es = edgesView.get({ filter: cited }); }
    ns = {}; es.forEach(function (e) { ns[e.from] = ns[e.to] = true; }); if (selected) ns[selected] = true;
    var nodeRows = Object.keys(ns).map(function (id) { var n = byId[id]; return { id: id, label: n.fullLabel || n.label, type: n.type, date: n.date ? n.date.text : null }; });
    var edgeRows = es.map(function (e) {
      return { source: e.from, target: e.to, relation: e.relation, confidence: e.confidence,
               evidence: (e.evidence || []).map(function (ev) { return { quote: ev.quote, document: ev.document_label, locator: ev.locator }; }) };
    });
    return { nodes: nodeRows, edges: edgeRows };
  }
  function csvCell(v) { v = v === null || v === undefined ? "" : String(v); return /[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; }
  function exportSelection(fmt) {
    var d = selectionData();
    if (fmt === "json") { download("selection.json", "application/json", JSON.stringify(d, null, 2)); return; }
    var rows = [["source", "source_label", "relation", "target", "target_label", "confidence", "quote", "document", "locator"]];
    d.edges.forEach(function (e) {
      var ev = e.evidence[0] || {};
      rows.push([e.source, label(e.source), e.relation, e.target, label(e.target), e.confidence, ev.quote, ev.document, ev.locator]);
    });
    download("selection.csv", "text/csv", rows.map(function (r) { return r.map(csvCell).join(","); }).join("\n") + "\n");
  }
  window.cseExport = exportSelection;
  document.getElementById("export-png").addEventListener("click", function () {
    var c = container.querySelector("canvas");
    if (!c) return;
    var a = el("a"); a.download = DATA.view + ".png"; a.href = c.toDataURL("image/png");
    document.body.appendChild(a); a.click(); a.remove();
  });
  /* the drawing as SVG: what is drawn (positions from the renderer), straight links, wrapped labels, year lines */
  function xml(t) { return String(t).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"); }
  function svgOf() {
    if (!R.network) return null;
    var net = R.network, ids = nodesView.getIds(), pos = net.getPositions(ids), out = [];
    var xs = ids.map(function (i) { return pos[i].x; }), ys = ids.map(function (i) { return pos[i].y; });
    var x0 = Math.min.apply(null, xs) - 140, x1 = Math.max.apply(null, xs) + 140, y0 = Math.min.apply(null, ys) - 80, y1 = Math.max.apply(null, ys) + 80;
    out.push('<svg xmlns="http://www.w3.org/2000/svg" viewBox="' + [x0, y0, x1 - x0, y1 - y0].map(Math.round).join(" ") + '" font-family="system-ui, sans-serif" font-size="14">');
    out.push('<title>' + xml(DATA.title) + '</title><rect x="' + x0 + '" y="' + y0 + '" width="' + (x1 - x0) + '" height="' + (y1 - y0) + '" fill="#fff"/>');
    ((DATA.axis || {}).knots || []).length && (function () {
      var k = DATA.axis.knots;
      for (var y = Math.ceil(k[0][0]); y <= Math.floor(k[k.length - 1][0]); y++) {
        var i = 1; while (i < k.length && k[i][0] < y) i++;
        if (i >= k.length || (k[i][0] - k[i - 1][0]) > 0.75 && y > k[i - 1][0] && y < k[i][0]) continue;
        var x = k[i - 1][1] + (y - k[i - 1][0]) / ((k[i][0] - k[i - 1][0]) || 1) * (k[i][1] - k[i - 1][1]);
        out.push('<line x1="' + x + '" x2="' + x + '" y1="' + y0 + '" y2="' + y1 + '" stroke="#b8c0cc"/><text x="' + (x + 3) + '" y="' + (y0 + 16) + '" font-weight="600" fill="#1d2430">' + y + '</text>');
      }
    })();
    edgesView.get().forEach(function (e) {
      var a = pos[e.from], b = pos[e.to]; if (!a || !b) return;
      var c = (e.color && e.color.color) || "#6b7a90";
      out.push('<line x1="' + a.x + '" y1="' + a.y + '" x2="' + b.x + '" y2="' + b.y + '" stroke="' + xml(c) + '" stroke-width="' + (e.width || 1) + '"' + (e.dashes ? ' stroke-dasharray="6 4"' : "") + '><title>' + xml(e.relation + " (" + e.confidence + ")") + '</title></line>');
    });
    nodesView.get().forEach(function (n) {
      var p = pos[n.id], c = (n.color && n.color.background) || "#888";
      out.push('<g><title>' + xml(n.fullLabel || n.label) + '</title>' + (/square|box/.test(n.shape) ? '<rect x="' + (p.x - 10) + '" y="' + (p.y - 10) + '" width="20" height="20"' : '<circle cx="' + p.x + '" cy="' + p.y + '" r="10"') + ' fill="' + xml(c) + '" stroke="#333"/>');
      String(n.label).split("\n").forEach(function (line, i) {
        out.push('<text x="' + p.x + '" y="' + (p.y + 28 + 17 * i) + '" text-anchor="middle" fill="#1d2430" stroke="#fff" stroke-width="3" paint-order="stroke">' + xml(line) + '</text>');
      });
      out.push('</g>');
    });
    out.push('</svg>');
    return out.join("\n");
  }
  var svgBtn = document.getElementById("export-svg");
  if (TIMELINE) svgBtn.hidden = true;
  svgBtn.addEventListener("click", function () { var svg = svgOf(); if (svg) download(DATA.view + ".svg", "image/svg+xml", svg); });
  document.getElementById("export-csv").addEventListener("click", function () { exportSelection("csv"); });
  document.getElementById("export-json").addEventListener("click", function () { exportSelection("json"); });
  document.getElementById("print").addEventListener("click", function () { renderPrint(); window.print(); });

  /* ====================================================================================== */
  /* the network renderer: vis-network with a time axis, hop badges, spans and a mini-map     */
  /* ====================================================================================== */
  function networkRenderer() {
    var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, NET.options);
    var AX = DATA.axis || {};
    var knots = AX.knots || [];
    function xOf(t) {
      if (!knots.length) return null;
      var py = AX.perYear;
      if (t <= knots[0][0]) return knots[0][1] - (knots[0][0] - t) * py;
      for (var i = 1; i < knots.length; i++) {
        if (t <= knots[i][0]) { var a = knots[i - 1], b = knots[i]; return a[1] + (t - a[0]) / (b[0] - a[0]) * (b[1] - a[1]); }
      }
      var l = knots[knots.length - 1]; return l[1] + (t - l[0]) * py;
    }
    function tOf(date) { var p = date.split("-").map(Number); return p[0] + (p[1] - 1) / 12 + (p[2] - 1) / 365; }
    function inBreak(x) { return (AX.breaks || []).some(function (b) { return x > b[0] + 1 && x < b[1] - 1; }); }
    function visibleBox() {
      var w = container.clientWidth, h = container.clientHeight;
      return { tl: network.DOMtoCanvas({ x: 0, y: 0 }), br: network.DOMtoCanvas({ x: w, y: h }) };
    }
    var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    network.on("beforeDrawing", function (ctx) {
      if (!knots.length) return;
      var s = network.getScale(), v = visibleBox();
      var first = Math.floor(knots[0][0]), last = Math.floor(knots[knots.length - 1][0]), x0 = knots[0][1] - 30;
      ctx.save();
      /* breaks: empty stretches of time drawn narrow, hatched */
      (AX.breaks || []).forEach(function (b) {
        ctx.fillStyle = "#eef1f5"; ctx.fillRect(b[0] + 8, v.tl.y, b[1] - b[0] - 16, v.br.y - v.tl.y);
      });
      var monthPx = AX.perYear / 12 * s;
      for (var y = first; y <= last; y++) {
        for (var m = 0; m < 12; m++) {
          var x = xOf(y + m / 12);
          if (x < v.tl.x - 10 || x > v.br.x + 10 || x < x0 || inBreak(x)) continue;
          if (m === 0) { ctx.strokeStyle = "#b8c0cc"; ctx.lineWidth = 1.2 / s; }
          else if (monthPx >= 14) { ctx.strokeStyle = "#e6e9ef"; ctx.lineWidth = 1 / s; }
          else continue;
          ctx.beginPath(); ctx.moveTo(x, v.tl.y); ctx.lineTo(x, v.br.y); ctx.stroke();
        }
      }
      if (state.asof) {   /* the as-of date: a line across the drawing */
        var ax = xOf(tOf(state.asof) + 1 / 365);
        ctx.strokeStyle = "#b45309"; ctx.lineWidth = 2 / s; ctx.setLineDash([8 / s, 5 / s]);
        ctx.beginPath(); ctx.moveTo(ax, v.tl.y); ctx.lineTo(ax, v.br.y); ctx.stroke(); ctx.setLineDash([]);
      }
      /* date spans: a year or a range is a bar from its earliest to its latest day */
      nodesView.get().forEach(function (n) {
        if (!n.date || n.date.precision === "day" || n.date.precision === "month" || n.opacity < 1) return;
        var p = network.getPositions([n.id])[n.id]; if (!p) return;
        var a = xOf(tOf(n.date.earliest)), b = xOf(tOf(n.date.latest) + 1 / 365);
        ctx.fillStyle = (n.color && n.color.background ? n.color.background : "#888") + "55";
        ctx.fillRect(a, p.y - 4, Math.max(b - a, 3), 8);
      });
      ctx.restore();
    });
    network.on("afterDrawing", function (ctx) {
      var s = network.getScale();
      ctx.save();
      /* hop badges: steps from the root of a lineage */
      if (DATA.view === "lineage") {
        ctx.font = "bold " + 11 + "px system-ui, sans-serif"; ctx.textAlign = "left"; ctx.textBaseline = "middle";
        var pos = network.getPositions(nodesView.getIds());
        nodesView.get().forEach(function (n) {
          if (!n.hop) return; var p = pos[n.id];
          var t = (n.hop < 0 ? "↑" + (-n.hop) : "↓" + n.hop);
          ctx.fillStyle = "#ffffff"; ctx.fillRect(p.x + 12, p.y - 20, 22, 14);
          ctx.fillStyle = n.hop < 0 ? "#7a3e00" : "#14532d"; ctx.fillText(t, p.x + 13, p.y - 13);
        });
      }
      /* ghost links (computed overdue expectations) are hollow: a white core on each dash, clear of the nodes and the label */
      var ghostsOn = edgesView.get({ filter: function (e) { return e.ghost; } });
      if (ghostsOn.length) {
        var gp = network.getPositions(ghostsOn.reduce(function (a, e) { return a.concat([e.from, e.to]); }, []));
        ghostsOn.forEach(function (e) {
          var a = gp[e.from], b = gp[e.to]; if (!a || !b) return;
          var len = Math.hypot(b.x - a.x, b.y - a.y); if (len < 50) return;
          var ux = (b.x - a.x) / len, uy = (b.y - a.y) / len;
          ctx.save();
          ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 2; ctx.setLineDash(e.dashes || [10, 7]);
          ctx.lineDashOffset = 16;   /* the pattern vis draws from the start node: a white core on each dash */
          ctx.beginPath(); ctx.moveTo(a.x + ux * 16, a.y + uy * 16); ctx.lineTo(b.x - ux * 26, b.y - uy * 26); ctx.stroke();
          ctx.setLineDash([]);
          if (12 * s >= 7) {   /* its label, on top, where vis would put it */
            ctx.font = "12px system-ui, sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
            ctx.lineWidth = 4; ctx.strokeStyle = "#ffffff"; ctx.fillStyle = e.ghostColour || "#a21caf";
            ctx.strokeText(e.ghostLabel, (a.x + b.x) / 2, (a.y + b.y) / 2 - 10); ctx.fillText(e.ghostLabel, (a.x + b.x) / 2, (a.y + b.y) / 2 - 10);
          }
          ctx.restore();
        });
      }
      if (state.asof) {   /* straddling the as-of date: a dashed ring */
        var sp = network.getPositions(nodesView.getIds());
        ctx.strokeStyle = "#b45309"; ctx.lineWidth = 2.5; ctx.setLineDash([4, 3]);
        nodesView.get().forEach(function (n) {
          if (asofOf(n) !== "straddles") return;
          var p = sp[n.id]; ctx.beginPath(); ctx.arc(p.x, p.y, 20, 0, 2 * Math.PI); ctx.stroke();
        });
        ctx.setLineDash([]);
      }
      if (knots.length) {
        /* the axis labels, pinned to the top of the view whatever the pan */
        var v = visibleBox(), fs = 12 / s, top = v.tl.y;
        ctx.fillStyle = "rgba(255,255,255,0.92)"; ctx.fillRect(v.tl.x, top, v.br.x - v.tl.x, 22 / s);
        ctx.font = "600 " + fs + "px system-ui, sans-serif"; ctx.textBaseline = "middle"; ctx.textAlign = "left";
        var first = Math.floor(knots[0][0]), last = Math.floor(knots[knots.length - 1][0]), x0 = knots[0][1] - 30;
        var monthPx = AX.perYear / 12 * s, marks = [], lastX = -Infinity;
        /* where time resumes after a break (and where it starts), say when: "Aug 2013" */
        [[knots[0][1], knots[0][0]]].concat((AX.breaks || []).map(function (b) { return [b[1], b[3]]; })).forEach(function (k) {
          var yr = Math.floor(k[1] + 1e-6), mo = Math.round((k[1] - yr) * 12);
          if (mo > 0 && mo < 12) marks.push([k[0], MONTHS[mo] + " " + yr, 1]);
        });
        for (var y = first; y <= last; y++) {
          for (var m = 0; m < 12; m++) {
            var x = xOf(y + m / 12);
            if (x < x0 || inBreak(x)) continue;
            if (m && monthPx < 42) continue;
            marks.push([x, m ? MONTHS[m] : String(y), m ? 2 : 0]);
          }
        }
        marks.sort(function (a, b) { return (a[0] - b[0]) || (a[2] - b[2]); });
        marks.forEach(function (mk) {
          if (mk[0] < v.tl.x - 60 / s || mk[0] > v.br.x) return;
          ctx.font = (mk[2] ? "" : "600 ") + fs + "px system-ui, sans-serif";
          var w = ctx.measureText(mk[1]).width;
          if (mk[0] < lastX + 8 / s) return;          /* never overprint the previous label */
          ctx.fillStyle = mk[2] ? "#4a5363" : "#1d2430";
          ctx.fillText(mk[1], mk[0] + 3 / s, top + 11 / s);
          lastX = mk[0] + 3 / s + w;
        });
        ctx.font = "600 " + fs + "px system-ui, sans-serif";
        (AX.breaks || []).forEach(function (b) {
          var mid = (b[0] + b[1]) / 2; if (mid < v.tl.x || mid > v.br.x) return;
          if (b[3] - b[2] < 2) return;   /* only a long silence is worth naming, where it fits */
          ctx.font = (11 / s) + "px system-ui, sans-serif";
          var text = "gap " + Math.ceil(b[2]) + "–" + Math.floor(b[3]);
          if (ctx.measureText(text).width > (b[1] - b[0])) text = "≈";
          ctx.fillStyle = "#4a5363"; ctx.textAlign = "center";
          ctx.fillText(text, mid, top + 32 / s);
          ctx.font = "600 " + fs + "px system-ui, sans-serif"; ctx.textAlign = "left";
        });
        (AX.rows || []).forEach(function (r) {   /* band names, pinned to the left edge */
          if (r.y < v.tl.y || r.y > v.br.y) return;
          ctx.font = "700 " + (12 / s) + "px system-ui, sans-serif"; ctx.textAlign = "left";
          var w = ctx.measureText(r.label).width;
          ctx.fillStyle = "rgba(255,255,255,0.92)"; ctx.fillRect(v.tl.x, r.y - 32 / s, w + 12 / s, 18 / s);
          ctx.fillStyle = "#1d2430"; ctx.fillText(r.label, v.tl.x + 6 / s, r.y - 23 / s);
        });
        (AX.labels || []).forEach(function (l) {   /* named columns, e.g. links to other pages */
          ctx.fillStyle = "#4a5363"; ctx.textAlign = "center"; ctx.fillText(l.label, l.x, top + 11 / s);
        });
        ctx.font = "600 " + fs + "px system-ui, sans-serif";
        if (state.asof) {
          var asx = xOf(tOf(state.asof) + 1 / 365), asl = "as of " + state.asof;
          ctx.fillStyle = "rgba(255,255,255,0.92)"; ctx.fillRect(asx + 2 / s, top + 24 / s, ctx.measureText(asl).width + 8 / s, 18 / s);
          ctx.fillStyle = "#8a3c07"; ctx.textAlign = "left"; ctx.fillText(asl, asx + 6 / s, top + 33 / s);
        }
        if (AX.undated !== null && AX.undated !== undefined) {
          ctx.fillStyle = "#4a5363"; ctx.textAlign = "center"; ctx.fillText("undated", AX.undated, top + 11 / s);
        }
      }
      ctx.restore();
      drawMinimap();
    });

    /* mini-map: every drawn node and the part of the drawing in view; click to move there */
    var mini = document.getElementById("minimap"), mctx = mini.getContext("2d"), mbox = null, wantMini = false;
    function bounds() {
      var pos = network.getPositions(nodesView.getIds()), xs = [], ys = [];
      Object.keys(pos).forEach(function (k) { xs.push(pos[k].x); ys.push(pos[k].y); });
      if (!xs.length) return null;
      return { x0: Math.min.apply(null, xs) - 60, x1: Math.max.apply(null, xs) + 60, y0: Math.min.apply(null, ys) - 40, y1: Math.max.apply(null, ys) + 40, pos: pos };
    }
    function drawMinimap() {
      var v = visibleBox(), b = bounds();
      if (!b) { mini.hidden = true; return; }
      var inside = v.tl.x <= b.x0 + 60 && v.tl.y <= b.y0 + 40 && v.br.x >= b.x1 - 60 && v.br.y >= b.y1 - 40;
      mini.hidden = inside && !wantMini;
      if (mini.hidden) return;
      var W = mini.width, H = mini.height, k = Math.min(W / (b.x1 - b.x0), H / (b.y1 - b.y0));
      mbox = { b: b, k: k, ox: (W - (b.x1 - b.x0) * k) / 2, oy: (H - (b.y1 - b.y0) * k) / 2 };
      mctx.clearRect(0, 0, W, H); mctx.fillStyle = "#ffffff"; mctx.fillRect(0, 0, W, H);
      nodesView.get().forEach(function (n) {
        var p = b.pos[n.id];
        mctx.fillStyle = (n.color && n.color.background) || "#888";
        mctx.fillRect(mbox.ox + (p.x - b.x0) * k - 1.5, mbox.oy + (p.y - b.y0) * k - 1.5, 3, 3);
      });
      mctx.strokeStyle = "#1f5fa8"; mctx.lineWidth = 2;
      mctx.strokeRect(mbox.ox + (v.tl.x - b.x0) * k, mbox.oy + (v.tl.y - b.y0) * k, (v.br.x - v.tl.x) * k, (v.br.y - v.tl.y) * k);
    }
    mini.addEventListener("click", function (ev) {
      if (!mbox) return;
      var r = mini.getBoundingClientRect();
      var x = (ev.clientX - r.left) * (mini.width / r.width), y = (ev.clientY - r.top) * (mini.height / r.height);
      network.moveTo({ position: { x: mbox.b.x0 + (x - mbox.ox) / mbox.k, y: mbox.b.y0 + (y - mbox.oy) / mbox.k }, animation: false });
    });

    var dimmed = false;
    function highlight(set, strong) {
      var nu = [], eu = [];
      if (!set) {
        if (!dimmed) return;
        NET.nodes.forEach(function (n) { nu.push({ id: n.id, opacity: baseOpacity(n), font: baseFont(n) }); });
        NET.edges.forEach(function (e) { eu.push({ id: e.id, color: baseEdgeColor(e), width: e._base.width }); });
        dimmed = false;
      } else {
        var es = {}; set.edges.forEach(function (id) { es[id] = true; });
        NET.nodes.forEach(function (n) {
          var on = set.nodes[n.id];
          nu.push({ id: n.id, opacity: on ? baseOpacity(n) : 0.15, font: { color: on ? (asofOf(n) === "after" ? GREY_FONT : "#1d2430") : "#1d24301c" } });
        });
        NET.edges.forEach(function (e) {
          var on = es[e.id], c = baseEdgeColor(e) || {};
          eu.push({ id: e.id, width: on ? (strong ? 4 : (e._base.width || 1) * 1.4) : e._base.width,
                    color: { color: on ? (strong ? "#c2410c" : c.color) : "#d8dde6", highlight: c.highlight, hover: c.hover, opacity: on ? 1 : 0.35 } });
        });
        dimmed = true;
      }
      nodes.update(nu); edges.update(eu);
      if (set && strong) network.selectEdges(set.edges);
    }
    var hoverOn = !BIG;
    network.on("hoverNode", function (p) { if (hoverOn && !selected && !currentPath) highlight(focusSet(p.node), false); });
    network.on("blurNode", function () { if (hoverOn && !selected && !currentPath) highlight(null); });
    network.on("click", function (p) {
      if (p.nodes.length) select(p.nodes[0], false);
      else if (p.edges.length) { showEdge(p.edges[0]); }
      else if (!currentPath) unselect();
    });
    network.on("doubleClick", function (p) {
      var n = p.nodes.length ? byId[p.nodes[0]] : null;
      if (n && n.href) window.location.href = n.href;
    });
    function readable() { return Math.max(network.getScale(), (MIN_PX + 1) / FONT); }
    function openView() {
      var ids = nodesView.getIds();
      if (!ids.length) return;
      network.fit({ nodes: ids, animation: false });
      if (network.getScale() > 1.3) network.moveTo({ scale: 1.3, animation: false });   /* a short chain: not blown up */
      if (network.getScale() * FONT >= MIN_PX) return;
      if (NET.options.nodes.scaling) {   /* labels culled by importance: on a desktop the whole is the answer */
        wantMini = true;
        if (container.clientWidth >= 600) return;
        /* on a phone too little is legible at fit: open on the best-connected entity, readable */
        var top = nodesView.get().reduce(function (a, n) { return !a || (n.value || 0) > (a.value || 0) ? n : a; }, null);
        if (top) network.moveTo({ position: network.getPositions([top.id])[top.id], scale: 0.5, animation: false });   /* the big labels legible, the rest culled */
        return;
      }
      /* too wide to read whole: a readable window around the root (or the first item), and the mini-map */
      var f = DATA.initial && DATA.initial.focus && nodes.get(DATA.initial.focus) ? DATA.initial.focus : null;
      var pos = f ? network.getPositions([f])[f] : null;
      var sc = (MIN_PX + 1) / FONT;
      if (!pos) { var b = bounds(); pos = { x: b.x0 + (container.clientWidth / 2) / sc, y: b.y0 + (container.clientHeight / 2) / sc }; }   /* the top left: the earliest */
      network.moveTo({ position: pos, scale: sc, animation: false });
      wantMini = true;
    }
    return {
      network: network,
      select: function (id, move) {
        network.selectNodes([id]);
        if (move) {
          var p = network.getPositions([id])[id], v = visibleBox();
          var inView = p && p.x > v.tl.x && p.x < v.br.x && p.y > v.tl.y && p.y < v.br.y;
          if (!inView || network.getScale() * FONT < MIN_PX) network.focus(id, { scale: readable(), animation: false });
        }
      },
      highlight: highlight,
      showAll: function (ids) {
        var vis_ = ids.filter(function (id) { return nodesView.get(id); });
        if (vis_.length > 1) {
          network.fit({ nodes: vis_, animation: false });
          if (network.getScale() > 1.2) network.moveTo({ scale: 1.2, animation: false });
        }
      },
      fitAll: function () { network.fit({ animation: false }); wantMini = false; },
      open: openView,
      expand: function (id) {
        var ids = [id]; edgesView.get().forEach(function (e) { if (e.from === id) ids.push(e.to); if (e.to === id) ids.push(e.from); });
        network.fit({ nodes: ids, animation: false });
        if (network.getScale() > 1.3) network.moveTo({ scale: 1.3, animation: false });
        if (network.getScale() * FONT < MIN_PX) network.focus(id, { scale: readable(), animation: false });
        highlight({ nodes: ids.reduce(function (o, k) { o[k] = true; return o; }, {}), edges: edgesView.get().filter(function (e) { return e.from === id || e.to === id; }).map(function (e) { return e.id; }) }, false);
      },
      onReady: function (fn) { network.once("afterDrawing", fn); }
    };
  }

  /* ====================================================================================== */
  /* the timeline renderer: vis-timeline, one lane per district (+ county-wide, elsewhere)    */
  /* ====================================================================================== */
  function timelineRenderer() {
    var TL = DATA.timeline;
    var groups = new vis.DataSet(TL.groups.map(function (g) {
      var d = el("div", g.label, "lane"); return { id: g.id, content: d, order: g.order };
    }));
    var items = new vis.DataSet(TL.items.map(function (it) {
      var n = byId[it.entity], d = el("div", null, "tl-item");
      d.title = (n.fullLabel || n.label) + " · " + n.date.text + " (" + n.date.precision + ")";   /* plain text: the browser's own tooltip */
      d.appendChild(el("span", it.when, "tl-when")); d.appendChild(el("span", " " + (n.fullLabel || n.label)));
      return { id: it.id, entity: it.entity, group: it.group, start: it.start, end: it.end || undefined, type: it.end ? "range" : "point",
               content: d, baseClass: "fam-" + n.family + " prec-" + it.precision + (it.shared ? " shared" : ""),
               className: "fam-" + n.family + " prec-" + it.precision + (it.shared ? " shared" : "") };
    }));
    var itemsView = new vis.DataView(items, { filter: function (it) { return nodeVisible(byId[it.entity]); } });
    var drawn_ = false, whenDrawn = null;   /* ready when vis-timeline says its first drawing is on screen */
    var timeline = new vis.Timeline(container, itemsView, groups, {
      stack: true, showTooltips: false, zoomMin: 1000 * 60 * 60 * 24 * 60, orientation: { axis: "both", item: "top" }, maxMinorChars: 4,
      margin: { item: { horizontal: 4, vertical: 4 } }, min: TL.min, max: TL.max, start: TL.min, end: TL.max,
      cluster: { maxItems: 2, showStipes: false, titleTemplate: "{count} items: zoom in or click" },
      groupHeightMode: "auto", verticalScroll: true, horizontalScroll: false, zoomKey: "", height: "100%",
      xss: { disabled: false },
      onInitialDrawComplete: function () { drawn_ = true; if (whenDrawn) whenDrawn(); }
    });
    timeline.on("select", function (p) {
      var id = p.items && p.items[0]; if (!id) return;
      var it = items.get(id);
      if (it) select(it.entity, false);
    });
    timeline.on("click", function (p) {
      if (p.isCluster && p.items && p.items.length) {
        var its = items.get(p.items);
        var s = Math.min.apply(null, its.map(function (i) { return new Date(i.start).getTime(); }));
        var e = Math.max.apply(null, its.map(function (i) { return new Date(i.end || i.start).getTime(); }));
        var pad = Math.max((e - s) * 0.3, 1000 * 3600 * 24 * 120);
        timeline.setWindow(s - pad, e + pad, { animation: false });
      }
    });
    var asofBar = false;
    return {
      timeline: timeline, itemsView: itemsView,
      asof: function () {   /* grey what did not yet exist, ring what straddles, a line at the date */
        items.update(items.get().map(function (it) { var a = asofOf(byId[it.entity]); return { id: it.id, className: it.baseClass + (a ? " asof-" + a : "") }; }));
        if (state.asof && !asofBar) { timeline.addCustomTime(state.asof, "asof"); timeline.setCustomTimeMarker("as of " + state.asof, "asof"); asofBar = true; }
        else if (state.asof) { timeline.setCustomTime(state.asof, "asof"); timeline.setCustomTimeMarker("as of " + state.asof, "asof"); }
        else if (asofBar) { timeline.removeCustomTime("asof"); asofBar = false; }
      },
      itemCount: function () { return itemsView.length; },
      refresh: function () { itemsView.refresh(); },
      select: function (id, move) {
        var ids = items.getIds({ filter: function (it) { return it.entity === id; } });
        timeline.setSelection(ids);
        if (move && ids.length) timeline.focus(ids, { animation: false, zoom: false });
      },
      highlight: function () {},
      showAll: function () {},
      fitAll: function () { timeline.fit({ animation: false }); },
      open: function () {   /* a phone opens on the last decade (pinch or drag for the rest) */
        /* vis-timeline 8.5.4 draws no cluster on its initial drawing, only after the window changes */
        if (container.clientWidth >= 600) timeline.fit({ animation: false });
        else {
          var end = new Date(TL.max).getTime();
          timeline.setWindow(end - 1000 * 3600 * 24 * 365.25 * 9, end, { animation: false });
        }
      },
      onReady: function (fn) {
        if (drawn_) setTimeout(fn, 0); else whenDrawn = function () { setTimeout(fn, 0); };
      }
    };
  }

  /* ---------- start ---------- */
  var ready = false;
  refresh();
  R.onReady(function () {
    R.open();
    if (!restoreHash() && DATA.view === "lineage" && DATA.initial && DATA.initial.focus && nodes.get(DATA.initial.focus)) {
      showNode(DATA.initial.focus); panel.classList.remove("open");   /* the root's facts, without covering a phone's drawing */
    }
    renderPrint();
    ready = true;
    window.cseGraph.interactiveMs = performance.now() - t0;
    window.cseGraph.readyAt = performance.now();   /* ms since the page began to load */
    document.documentElement.setAttribute("data-ready", "true");   // for scripts driving the page
  });
  window.addEventListener("beforeprint", renderPrint);
  window.cseGraph = { network: R.network, timeline: R.timeline, renderer: R, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView,
                      focusNode: function (id) { return select(id, true); }, select: select, setPath: setPath, search: search,
                      entityCount: entityCount, data: DATA, hiders: hiders, asofOf: function (id) { return asofOf(byId[id]); }, setAsof: function (d) { setAsof(d); afterAsof(); }, shortestPaths: shortestPaths,
                      selection: function () { return { selected: selected, path: currentPath }; }, selectionData: selectionData, svg: svgOf,
                      isReady: function () { return ready; } };
})();
