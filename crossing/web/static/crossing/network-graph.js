// The intelligence compartment's interactive graph (issue 6), with Cytoscape.js.
// No inline script (CSP): the page gives the JSON endpoint in data- attributes and its strings in a
// json_script block. Node text is set with textContent only. The tables under the canvas list the
// same nodes and links for keyboards and screen readers; expanding a node adds its rows there too.
(function () {
  "use strict";

  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }

  var KIND_OF = {
    Person: "person", LegalEntity: "company", Company: "company", Organization: "company", PublicBody: "company",
    RealEstate: "compound", Address: "compound", Phone: "phone", BankAccount: "account", CryptoWallet: "account",
    UserAccount: "account", Document: "document", Pages: "document"
  };

  var STYLE = [
    { selector: "node", style: {
      "label": "data(label)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 3, "color": "#1d2733",
      "text-wrap": "ellipsis", "text-max-width": 120, "min-zoomed-font-size": 7,
      "background-color": "#8a96a3", "width": 26, "height": 26, "border-width": 1, "border-color": "#ffffff" } },
    { selector: "node.person", style: { "shape": "ellipse", "background-color": "#3f7fa0" } },
    { selector: "node.worker", style: { "shape": "ellipse", "background-color": "#7a9a3a", "width": 20, "height": 20 } },
    { selector: "node.company", style: { "shape": "round-rectangle", "background-color": "#6b4c9a", "width": 34 } },
    { selector: "node.compound", style: { "shape": "hexagon", "background-color": "#a0522d", "width": 34, "height": 30 } },
    { selector: "node.phone", style: { "shape": "diamond", "background-color": "#c2a000", "width": 18, "height": 18 } },
    { selector: "node.account", style: { "shape": "round-tag", "background-color": "#0b5c6b", "width": 22, "height": 22 } },
    { selector: "node.document", style: { "shape": "rectangle", "background-color": "#9aa5b1", "width": 18, "height": 24 } },
    { selector: "node.official", style: { "border-width": 5, "border-color": "#e07b00" } },
    { selector: "node.sanctioned", style: { "border-width": 5, "border-color": "#a01b1b" } },
    { selector: "node.official.sanctioned", style: { "border-style": "double", "border-width": 7 } },
    { selector: "node.centre", style: { "width": 40, "height": 40, "font-weight": "bold" } },
    { selector: "node:selected", style: { "overlay-color": "#0b5c6b", "overlay-opacity": 0.25, "overlay-padding": 6 } },
    { selector: "edge", style: {
      "width": 1.5, "line-color": "#b4bec8", "target-arrow-color": "#b4bec8", "target-arrow-shape": "triangle",
      "curve-style": "bezier", "label": "data(label)", "font-size": 8, "color": "#5b6775", "text-rotation": "autorotate",
      "min-zoomed-font-size": 9, "text-background-color": "#ffffff", "text-background-opacity": 0.8 } },
    { selector: "edge.payment", style: { "line-color": "#1c6b2f", "target-arrow-color": "#1c6b2f" } },
    { selector: "edge.control", style: { "line-color": "#6b4c9a", "target-arrow-color": "#6b4c9a", "width": 2.5 } },
    { selector: "edge.recruited, edge.held_at, edge.sold_to", style: { "line-color": "#a01b1b", "target-arrow-color": "#a01b1b", "width": 2 } }
  ];
  var CONTROL = { ownership: 1, directorship: 1, employment: 1, membership: 1, supervises: 1, holder: 1 };

  function nodeClasses(n, centre) {
    var classes = [n.worker ? "worker" : (KIND_OF[n.schema] || "other")];
    if (n.official) classes.push("official");
    if (n.sanctioned) classes.push("sanctioned");
    if (n.id === centre) classes.push("centre");
    return classes.join(" ");
  }

  function edgeClasses(e) {
    if (e.kind === "payment") return "payment";
    if (CONTROL[e.kind]) return "control";
    return e.kind;
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text != null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  ready(function () {
    var box = document.getElementById("network-graph");
    if (!box) return;
    var strings = JSON.parse(document.getElementById("graph-strings").textContent);
    var panel = document.getElementById("graph-selection");
    var truncatedNote = document.getElementById("graph-truncated");
    var nodeTable = document.querySelector("#graph-nodes tbody");
    var edgeTable = document.querySelector("#graph-edges tbody");
    var centre = box.dataset.centre;
    var baseUrl = box.dataset.url;
    var entityUrl = box.dataset.entityUrl;
    var graphUrl = box.dataset.graphUrl;
    var hopsSelect = document.getElementById("hops");
    if (hopsSelect) hopsSelect.addEventListener("change", function () { hopsSelect.form.submit(); });
    if (!window.cytoscape) return;

    var labels = {};
    var cy = window.cytoscape({
      container: box, style: STYLE, elements: [], minZoom: 0.1, maxZoom: 4
    });

    function urlFor(template, id, hops) {
      // The server's URL patterns carry "__ID__" where the entity id goes.
      var url = template.replace("__ID__", encodeURIComponent(id));
      return hops ? url + "?hops=" + hops : url;
    }

    function addRows(data) {
      data.nodes.forEach(function (n) {
        if (nodeTable.querySelector('tr[data-id="' + CSS.escape(n.id) + '"]')) return;
        var tr = el("tr"); tr.dataset.id = n.id;
        var name = el("td");
        if (n.schema === "Phone") name.textContent = n.label;
        else { var a = el("a", n.label); a.href = urlFor(entityUrl, n.id); name.appendChild(a); }
        tr.appendChild(name);
        tr.appendChild(el("td", n.schema));
        var flags = el("td");
        if (n.official) flags.appendChild(el("span", strings.official, "tag warn"));
        if (n.sanctioned) flags.appendChild(el("span", strings.sanctioned, "tag bad"));
        if (n.worker) flags.appendChild(el("span", strings.worker, "tag"));
        tr.appendChild(flags);
        var graphCell = el("td"); var g = el("a", strings.centre); g.href = urlFor(graphUrl, n.id); graphCell.appendChild(g);
        tr.appendChild(graphCell);
        nodeTable.appendChild(tr);
      });
      data.edges.forEach(function (e) {
        if (edgeTable.querySelector('tr[data-id="' + CSS.escape(e.source + "|" + e.kind + "|" + e.target) + '"]')) return;
        var tr = el("tr"); tr.dataset.id = e.source + "|" + e.kind + "|" + e.target;
        tr.appendChild(el("td", labels[e.source] || e.source));
        tr.appendChild(el("td", e.label));
        tr.appendChild(el("td", labels[e.target] || e.target));
        tr.appendChild(el("td", e.amount ? e.amount.toFixed(2) : ""));
        edgeTable.appendChild(tr);
      });
    }

    function merge(data) {
      var added = [];
      data.nodes.forEach(function (n) {
        labels[n.id] = n.label;
        if (cy.getElementById(n.id).length) return;
        added.push({ group: "nodes", data: { id: n.id, label: n.label, schema: n.schema, official: n.official,
                                             sanctioned: n.sanctioned, worker: n.worker },
                     classes: nodeClasses(n, centre) });
      });
      data.edges.forEach(function (e) {
        // Edge ids are per response; key them by their ends and kind so an expansion does not duplicate.
        var id = e.source + "|" + e.kind + "|" + e.target;
        if (cy.getElementById(id).length) return;
        added.push({ group: "edges", data: { id: id, source: e.source, target: e.target, label: e.label,
                                             kind: e.kind, amount: e.amount }, classes: edgeClasses(e) });
      });
      if (data.truncated && truncatedNote) truncatedNote.hidden = false;
      cy.add(added);
      return added.length;
    }

    function layout(fit) {
      cy.layout({ name: "cose", animate: false, fit: fit !== false, padding: 30, nodeDimensionsIncludeLabels: true,
                  randomize: false, idealEdgeLength: function () { return 80; } }).run();
    }

    function load(id, hops) {
      return fetch(urlFor(baseUrl, id, hops), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
    }

    function show(node) {
      var d = node.data();
      panel.replaceChildren();
      panel.appendChild(el("h2", d.label));
      var meta = el("p", d.schema, "muted");
      panel.appendChild(meta);
      var flags = el("p");
      if (d.official) flags.appendChild(el("span", strings.official, "tag warn"));
      if (d.sanctioned) flags.appendChild(el("span", strings.sanctioned, "tag bad"));
      if (d.worker) flags.appendChild(el("span", strings.worker, "tag"));
      if (flags.childNodes.length) panel.appendChild(flags);
      var actions = el("p");
      if (d.schema !== "Phone") {
        var link = el("a", strings.open);
        link.href = urlFor(entityUrl, d.id);
        actions.appendChild(link);
        actions.appendChild(document.createTextNode(" "));
      }
      var expand = el("button", strings.expand, "secondary");
      expand.type = "button";
      expand.addEventListener("click", function () {
        expand.disabled = true;
        expand.textContent = strings.loading;
        load(d.id, 1).then(function (data) {
          var n = merge(data);
          addRows(data);
          if (n) layout();
          expand.textContent = strings.expand;
        }).catch(function () { expand.textContent = strings.failed; });
      });
      actions.appendChild(expand);
      panel.appendChild(actions);
    }

    cy.on("tap", "node", function (event) { show(event.target); });

    load(centre, box.dataset.hops).then(function (data) {
      merge(data);
      layout();
      var c = cy.getElementById(centre);
      if (c.length) { c.select(); show(c); }
    }).catch(function () {
      panel.replaceChildren(el("p", strings.failed, "muted"));
    });
  });
})();
