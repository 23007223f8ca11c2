// Kontaktpunkt: the public map of released reports (coarse points, no personal data).
(function () {
  "use strict";

  var element = document.getElementById("public-map");
  if (!element || !window.L) {
    return;
  }
  var L = window.L;
  element.hidden = false;
  var statusLine = document.getElementById("map-status");
  var map = window.KP.mapCreate(element, { maxZoom: 18 });
  var bounds = window.KP.drawBackdrop(map, window.KP.jsonOf("map-backdrop"), { labels: false });
  if (bounds && bounds.isValid()) {
    map.fitBounds(bounds);
  } else {
    map.setView([51.1657, 10.4515], 6);
  }
  var layer = L.layerGroup().addTo(map);
  var colours = { security: "#b00020", order: "#8a4b00", cleanliness: "#1b7f3b", social: "#5a3d9c" };

  function popup(properties) {
    var box = document.createElement("div");
    box.className = "concern-popup";
    var title = document.createElement("strong");
    title.textContent = properties.category;
    box.appendChild(title);
    var meta = document.createElement("div");
    meta.textContent = properties.status_label + " · " + properties.reported_label;
    box.appendChild(meta);
    var text = document.createElement("p");
    text.textContent = properties.text;
    box.appendChild(text);
    properties.photos.forEach(function (url) {
      var image = document.createElement("img");
      image.src = url;
      image.alt = element.getAttribute("data-text-photo");
      image.loading = "lazy";
      box.appendChild(image);
    });
    return box;
  }

  function load() {
    var b = map.getBounds();
    var bbox = [
      Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()),
      Math.min(180, b.getEast()), Math.min(90, b.getNorth()),
    ].map(function (n) { return n.toFixed(5); }).join(",");
    fetch(element.getAttribute("data-url") + "?bbox=" + bbox, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        layer.clearLayers();
        data.features.forEach(function (feature) {
          var c = feature.geometry.coordinates;
          L.circleMarker([c[1], c[0]], {
            radius: 8, weight: 1, color: "#1d2733",
            fillColor: colours[feature.properties.field] || "#5b6673", fillOpacity: 0.8,
          }).bindPopup(function () { return popup(feature.properties); }).addTo(layer);
        });
        statusLine.textContent = data.features.length
          ? element.getAttribute("data-text-count").replace("{count}", data.features.length)
          : element.getAttribute("data-text-none");
      })
      .catch(function () { statusLine.textContent = element.getAttribute("data-text-error"); });
  }
  map.on("moveend", load);
  load();
})();
