// Kontaktpunkt: the map set-up shared by the desk, the staff map and the citizens' pages (Leaflet from
// the vendored package). Every map works without tiles: then the city, its districts and landmarks are
// the background.
(function () {
  "use strict";
  var KP = (window.KP = window.KP || {});

  // A Leaflet map on `element`, with the tile layer of its data-tile-url when one is configured.
  KP.mapCreate = function (element, options) {
    var L = window.L;
    var settings = Object.assign({ maxZoom: 19 }, options || {});
    var tiles = element.getAttribute("data-tile-url");
    settings.attributionControl = Boolean(tiles);
    var map = L.map(element, settings);
    if (tiles) {
      map.attributionControl.setPrefix(false);
      L.tileLayer(tiles, {
        maxZoom: settings.maxZoom,
        attribution: element.getAttribute("data-tile-attribution") || "",
      }).addTo(map);
    }
    return map;
  };

  // The JSON of a <script type="application/json" id=...> element, or null.
  KP.jsonOf = function (id) {
    var script = document.getElementById(id);
    return script ? JSON.parse(script.textContent) : null;
  };

  // City boundary, districts (labelled unless options.labels is false) and, from zoom 15 on, the
  // landmarks; returns the city's bounds (or null).
  KP.drawBackdrop = function (map, data, options) {
    var L = window.L;
    var labelled = !options || options.labels !== false;
    if (!data) {
      return null;
    }
    if (labelled) {
      var labels = map.createPane("kp-labels");
      labels.style.zIndex = 350;
      labels.style.pointerEvents = "none";
    }
    (data.districts || []).forEach(function (district) {
      var layer = L.geoJSON(district.geometry, {
        interactive: false,
        style: { color: "#5b6673", weight: 1, dashArray: "4 4", fill: false },
      }).addTo(map);
      if (labelled) {
        L.tooltip({ permanent: true, direction: "center", className: "district-label", pane: "kp-labels" })
          .setLatLng(layer.getBounds().getCenter())
          .setContent(district.name)
          .addTo(map);
      }
    });
    var bounds = null;
    if (data.city) {
      bounds = L.geoJSON(data.city, {
        interactive: false,
        style: { color: "#005a9c", weight: 2, fillColor: "#005a9c", fillOpacity: 0.04 },
      }).addTo(map).getBounds();
    }
    var landmarks = L.layerGroup((data.landmarks || []).map(function (row) {
      return L.circleMarker([row[0], row[1]], {
        radius: row[3] === "place" ? 5 : 3, color: "#5b6673", weight: 1,
        fillColor: row[3] === "place" ? "#005a9c" : "#9aa5b1", fillOpacity: 0.9,
      }).bindTooltip(row[2]);
    }));
    function toggleLandmarks() {
      if (map.getZoom() >= 15) {
        map.addLayer(landmarks);
      } else {
        map.removeLayer(landmarks);
      }
    }
    map.on("zoomend", toggleLandmarks);
    toggleLandmarks();
    return bounds;
  };
})();
