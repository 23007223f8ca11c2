// Kontaktpunkt: the map of open concerns. Leaflet and leaflet.markercluster come from the vendored
// packages; tiles only when a tile URL is configured. Markers are loaded for the visible section.
(function () {
  "use strict";

  var element = document.getElementById("concern-map");
  if (!element || !window.L) {
    return;
  }
  var L = window.L;
  var statusLine = document.getElementById("map-status");
  var filters = document.getElementById("map-filters");
  var texts = {
    count: element.getAttribute("data-text-count"),
    none: element.getAttribute("data-text-none"),
    cell: element.getAttribute("data-text-cell"),
    open: element.getAttribute("data-text-open"),
    error: element.getAttribute("data-text-error"),
  };
  var numbers = new Intl.NumberFormat(document.documentElement.lang || "de");

  var map = window.KP.mapCreate(element, { preferCanvas: true });


  var bounds = window.KP.drawBackdrop(map, window.KP.jsonOf("map-backdrop"));
  if (bounds && bounds.isValid()) {
    map.fitBounds(bounds);
  } else {
    map.setView([0, 0], 2);
  }

  var clusters = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
  var cells = L.layerGroup();
  map.addLayer(clusters);
  map.addLayer(cells);

  function say(text, aggregated) {
    statusLine.textContent = text;
    statusLine.classList.toggle("aggregated", Boolean(aggregated));
  }

  function line(tag, text) {
    var node = document.createElement(tag);
    node.textContent = text;
    return node;
  }

  function popup(properties) {
    var box = document.createElement("div");
    box.className = "concern-popup";
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.reference;
    var title = document.createElement("strong");
    title.appendChild(link);
    box.appendChild(title);
    box.appendChild(line("span", properties.category));
    box.appendChild(line("span", properties.status_label + " · " + properties.reported_label));
    if (properties.address) {
      box.appendChild(line("span", properties.address));
    }
    var open = document.createElement("a");
    open.href = properties.url;
    open.textContent = texts.open;
    box.appendChild(open);
    return box;
  }

  function concernMarker(feature) {
    var coordinates = feature.geometry.coordinates;
    var field = feature.properties.field || "";
    var icon = L.divIcon({
      className: "concern-marker",
      html: '<span class="concern-dot concern-dot--' + field.replace(/[^a-z_]/g, "") + '"></span>',
      iconSize: [18, 18],
      iconAnchor: [9, 9],
    });
    var marker = L.marker([coordinates[1], coordinates[0]], {
      icon: icon,
      title: feature.properties.reference + " – " + feature.properties.category,
      keyboard: true,
    });
    marker.bindPopup(function () { return popup(feature.properties); });
    return marker;
  }

  function cellMarker(feature) {
    var coordinates = feature.geometry.coordinates;
    var count = feature.properties.count;
    var size = Math.min(64, 24 + Math.round(Math.log10(count + 1) * 12));
    var icon = L.divIcon({
      className: "cell-marker",
      html: '<span class="cell-count">' + numbers.format(count) + "</span>",
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2],
    });
    var marker = L.marker([coordinates[1], coordinates[0]], { icon: icon });
    marker.bindPopup(texts.cell.replace("{count}", numbers.format(count)));
    return marker;
  }

  function show(data) {
    clusters.clearLayers();
    cells.clearLayers();
    if (data.aggregated) {
      data.features.forEach(function (feature) { cells.addLayer(cellMarker(feature)); });
      say(data.note, true);
      return;
    }
    clusters.addLayers(data.features.map(concernMarker));
    say(data.total ? texts.count.replace("{count}", numbers.format(data.total)) : texts.none);
  }

  var controller = null;
  function load() {
    if (controller) {
      controller.abort();
    }
    controller = new AbortController();
    var bounds = map.getBounds();
    var params = new URLSearchParams(new FormData(filters));
    params.set("bbox", [
      Math.max(-180, bounds.getWest()), Math.max(-90, bounds.getSouth()),
      Math.min(180, bounds.getEast()), Math.min(90, bounds.getNorth()),
    ].map(function (n) { return n.toFixed(5); }).join(","));
    fetch(element.getAttribute("data-url") + "?" + params.toString(), {
      signal: controller.signal,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(show)
      .catch(function (error) {
        if (error.name !== "AbortError") {
          say(texts.error);
        }
      });
  }

  var timer = null;
  map.on("moveend", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(load, 200);
  });
  filters.addEventListener("change", load);
  filters.addEventListener("submit", function (event) {
    event.preventDefault();
    load();
  });
  load();
})();
