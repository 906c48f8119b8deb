/* The cse-graph workbench: YASGUI (vendored, ./yasgui/) set up to work with the network off.
   - the endpoint is this server's /sparql, and the endpoint catalogue lists nothing else;
   - prefix completion reads this server's /prefixes.json instead of prefix.cc;
   - class and property completion read this server's /terms.json instead of the LOV API;
   - the competency questions (queries/*.rq, from /queries.json) are the named examples;
   - an entity IRI in a result opens /describe?iri=… (the entity's facts and quotes). */
(function () {
  "use strict";
  var origin = window.location.origin;
  var endpoint = origin + "/sparql";
  var DATA = "https://w3id.org/cse-graph/";

  function json(path) {
    return fetch(path, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(path + ": HTTP " + r.status); }
      return r.json();
    });
  }

  function withPrefixes(text, prefixes) {
    // Declare the project's prefixes a query uses, so it also runs on any other endpoint.
    var declared = {};
    text.replace(/PREFIX\s+([A-Za-z][\w-]*)?:/gi, function (_, p) { declared[p || ""] = true; return _; });
    var body = text.replace(/<[^>\s]*>|"(?:[^"\\]|\\.)*"|#[^\n]*/g, " ");
    var lines = [];
    Object.keys(prefixes).sort().forEach(function (p) {
      if (!declared[p] && new RegExp("(^|[\\s(/^|,;{])" + p + ":").test(body)) {
        lines.push("PREFIX " + p + ": <" + prefixes[p] + ">");
      }
    });
    return lines.length ? lines.join("\n") + "\n" + text : text;
  }

  Promise.all([json("/queries.json"), json("/prefixes.json"), json("/terms.json")]).then(function (all) {
    var questions = all[0], prefixes = all[1], terms = all[2];
    var Yasqe = Yasgui.Yasqe;
    Yasqe.forkAutocompleter("class", { name: "cse-class", bulk: true, persistenceId: null,
      get: function () { return Promise.resolve(terms["class"]); } }, false);
    Yasqe.forkAutocompleter("property", { name: "cse-property", bulk: true, persistenceId: null,
      get: function () { return Promise.resolve(terms.property); } }, false);
    var first = questions[0];
    var yasgui = new Yasgui(document.getElementById("yasgui"), {
      persistenceId: null,
      copyEndpointOnNewTab: true,
      requestConfig: { endpoint: endpoint, method: "POST" },
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      yasqe: {
        value: first ? withPrefixes(first.text, prefixes) : "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
        prefixCcApi: origin + "/prefixes.json",
        autocompleters: ["prefixes", "variables", "cse-class", "cse-property"],
        resizeable: true,
        editorHeight: "300px"
      },
      yasr: { prefixes: prefixes }
    });
    window.cseWorkbench = yasgui;

    var buttons = document.querySelectorAll("#examples button");
    var byName = {};
    questions.forEach(function (q) { byName[q.name] = q; });
    Array.prototype.forEach.call(buttons, function (b) {
      b.addEventListener("click", function () {
        var q = byName[b.getAttribute("data-name")];
        if (!q) { return; }
        Array.prototype.forEach.call(buttons, function (x) { x.classList.remove("active"); });
        b.classList.add("active");
        var tab = yasgui.getTab();
        tab.setName(q.name);
        tab.setQuery(withPrefixes(q.text, prefixes));
        tab.query();
      });
    });

    // Entity IRIs of this graph open cse-graph's own page about them.
    document.getElementById("yasgui").addEventListener("click", function (ev) {
      var a = ev.target.closest ? ev.target.closest("a[href]") : null;
      if (!a || a.closest(".CodeMirror")) { return; }
      var href = a.getAttribute("href");
      if (href && href.indexOf(DATA) === 0) {
        ev.preventDefault();
        window.location.href = "/describe?iri=" + encodeURIComponent(href);
      }
    }, true);
    var mark = function () {
      var links = document.querySelectorAll("#yasgui .yasr a[href^='" + DATA + "']");
      Array.prototype.forEach.call(links, function (a) {
        a.setAttribute("href", "/describe?iri=" + encodeURIComponent(a.getAttribute("href")));
        a.removeAttribute("target");
      });
    };
    new MutationObserver(mark).observe(document.getElementById("yasgui"), { childList: true, subtree: true });
  }).catch(function (e) {
    var p = document.createElement("p");
    p.className = "error";
    p.textContent = "The workbench could not start: " + e.message;
    document.getElementById("yasgui").appendChild(p);
  });
})();
