// Dashboard charts and map, fed by the JSON the server rendered (no inline script: CSP).
(function () {
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  ready(function () {
    var node = document.getElementById("dashboard-data");
    if (!node) return;
    var data = JSON.parse(node.textContent);
    var brand = "#0b5c6b";
    if (window.Chart) {
      new Chart(document.getElementById("chart-status"), {
        type: "bar",
        data: { labels: data.by_status.map(function (s) { return s.label; }),
                datasets: [{ data: data.by_status.map(function (s) { return s.n; }), backgroundColor: brand }] },
        options: { plugins: { legend: { display: false } }, maintainAspectRatio: false, animation: false }
      });
      var top = data.by_nationality.slice(0, 15);
      new Chart(document.getElementById("chart-nationality"), {
        type: "bar",
        data: { labels: top.map(function (r) { return r.name; }),
                datasets: [{ data: top.map(function (r) { return r.n; }), backgroundColor: "#3f7fa0" }] },
        options: { indexAxis: "y", plugins: { legend: { display: false } }, maintainAspectRatio: false, animation: false }
      });
      new Chart(document.getElementById("chart-arrivals"), {
        type: "bar",
        data: { labels: data.arrivals.map(function (r) { return r.day; }),
                datasets: [{ data: data.arrivals.map(function (r) { return r.n; }), backgroundColor: "#7a9a3a" }] },
        options: { plugins: { legend: { display: false } }, maintainAspectRatio: false, animation: false }
      });
    }
    var mapNode = document.getElementById("map");
    if (window.L && mapNode) {
      L.Icon.Default.imagePath = mapNode.dataset.icon;
      var map = L.map(mapNode, { attributionControl: false }).setView([16.6, 98.6], 8);
      fetch(mapNode.dataset.geo).then(function (r) { return r.json(); }).then(function (geo) {
        L.geoJSON(geo, { style: { color: "#5b6775", weight: 1, fillColor: "#e9eef2", fillOpacity: 0.6 } }).addTo(map).bringToBack();
      });
      data.compounds.forEach(function (c) {
        if (c.lat == null) return;
        L.circleMarker([c.lat, c.lon], { radius: 6, color: "#a01b1b", fillOpacity: 0.8 })
          .bindTooltip(c.name + (c.group ? " (" + c.group + ")" : "")).addTo(map);
      });
      data.facilities.forEach(function (f) {
        if (f.lat == null) return;
        L.circleMarker([f.lat, f.lon], { radius: 8, color: brand, fillOpacity: 0.8 })
          .bindTooltip(f.name + ": " + f.occupancy + " / " + f.capacity).addTo(map);
      });
    }
  });
})();
