// Kontaktpunkt: the public reporting form. Without JavaScript the form works as it is (the address is
// resolved on the server); with it: a map to tap the place, address suggestions, a category search,
// "use my location", and a hint when the same thing was already reported nearby.
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  if (!form) {
    return;
  }
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var address = document.getElementById("id_address");
  var category = document.getElementById("id_category");
  var placeStatus = document.getElementById("place-status");
  var placeList = document.getElementById("place-list");
  var duplicates = document.getElementById("duplicates");
  var mapElement = document.getElementById("report-map");
  var marker = null;
  var map = null;

  function getJSON(url, params) {
    return fetch(url + "?" + new URLSearchParams(params).toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    });
  }

  // --- category search: narrows the select's options to the matching ones
  var search = document.getElementById("category-search");
  if (search && category) {
    search.hidden = false;
    var options = Array.prototype.slice.call(category.querySelectorAll("option"));
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().trim();
      var first = null;
      options.forEach(function (option) {
        var match = !option.value || option.textContent.toLowerCase().indexOf(words) >= 0;
        option.hidden = !match;
        if (match && option.value && !first) {
          first = option;
        }
      });
      if (words && first) {
        category.value = first.value;
        category.dispatchEvent(new Event("change"));
      }
    });
  }

  // --- the point
  function setPoint(latitude, longitude, text) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    placeStatus.textContent = text || mapElement.getAttribute("data-pin-text");
    if (map) {
      if (marker) {
        marker.setLatLng([latitude, longitude]);
      } else {
        marker = window.L.marker([latitude, longitude], { draggable: true, keyboard: true }).addTo(map);
        marker.on("dragend", function () {
          var position = marker.getLatLng();
          setPoint(position.lat, position.lng);
          nearby(position.lat, position.lng);
        });
      }
    }
    checkDuplicates();
  }

  function nearby(latitude, longitude) {
    getJSON(form.getAttribute("data-places-url"), { lat: latitude, lon: longitude })
      .then(function (data) {
        if (data.places.length && !address.dataset.typed) {
          address.value = data.places[0].label;
        }
      })
      .catch(function () {});
  }

  if (mapElement && window.L) {
    var L = window.L;
    mapElement.hidden = false;
    map = window.KP.mapCreate(mapElement, { tap: true });
    var bounds = window.KP.drawBackdrop(map, window.KP.jsonOf("report-backdrop"), { labels: false });
    if (lat.value && lon.value) {
      map.setView([parseFloat(lat.value), parseFloat(lon.value)], 17);
      setPoint(parseFloat(lat.value), parseFloat(lon.value));
    } else if (bounds && bounds.isValid()) {
      map.fitBounds(bounds);
    } else {
      map.setView([51.1657, 10.4515], 6);
    }
    map.on("click", function (event) {
      setPoint(event.latlng.lat, event.latlng.lng);
      nearby(event.latlng.lat, event.latlng.lng);
    });
  }

  var locate = document.getElementById("locate");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        setPoint(position.coords.latitude, position.coords.longitude);
        if (map) {
          map.setView([position.coords.latitude, position.coords.longitude], 17);
        }
        nearby(position.coords.latitude, position.coords.longitude);
      });
    });
  }

  // --- address suggestions
  var timer = null;
  function choosePlace(place) {
    address.value = place.label;
    placeList.hidden = true;
    placeList.textContent = "";
    setPoint(place.lat, place.lon);
    if (map) {
      map.setView([place.lat, place.lon], 17);
    }
  }
  function showPlaces(places) {
    placeList.textContent = "";
    places.forEach(function (place) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = place.detail ? place.label + " – " + place.detail : place.label;
      button.addEventListener("click", function () { choosePlace(place); });
      item.appendChild(button);
      placeList.appendChild(item);
    });
    placeList.hidden = !places.length;
  }
  address.addEventListener("input", function () {
    address.dataset.typed = address.value ? "1" : "";
    lat.value = "";
    lon.value = "";
    window.clearTimeout(timer);
    var query = address.value.trim();
    if (query.length < 2) {
      showPlaces([]);
      return;
    }
    timer = window.setTimeout(function () {
      getJSON(form.getAttribute("data-places-url"), { q: query })
        .then(function (data) { showPlaces(data.places); })
        .catch(function () { showPlaces([]); });
    }, 250);
  });

  // --- already reported nearby? (only what is probably the same; a status only when released)
  var description = document.getElementById("id_description");

  function checkDuplicates() {
    if (!duplicates || !category.value || !lat.value || !lon.value) {
      return;
    }
    getJSON(form.getAttribute("data-duplicates-url"), {
      category: category.value, lat: lat.value, lon: lon.value,
      text: description ? description.value.slice(0, 5000) : "",
    }).then(function (data) {
      duplicates.textContent = "";
      duplicates.hidden = !data.duplicates.length;
      if (!data.duplicates.length) {
        return;
      }
      var title = document.createElement("p");
      title.textContent = duplicates.getAttribute("data-text-title");
      duplicates.appendChild(title);
      var list = document.createElement("ul");
      var released = false;
      data.duplicates.forEach(function (row) {
        var item = document.createElement("li");
        var status = row.released ? row.status : duplicates.getAttribute("data-text-unreleased");
        item.textContent = [row.category, status, row.distance, row.reported].join(" · ");
        list.appendChild(item);
        released = released || row.released;
      });
      duplicates.appendChild(list);
      if (released) {
        var link = document.createElement("a");
        link.href = duplicates.getAttribute("data-map-url");
        link.textContent = duplicates.getAttribute("data-text-follow");
        duplicates.appendChild(link);
      }
      var other = document.createElement("p");
      other.textContent = duplicates.getAttribute("data-text-other");
      duplicates.appendChild(other);
    }).catch(function () {});
  }
  if (description) {
    description.addEventListener("change", checkDuplicates);
  }
  category.addEventListener("change", checkDuplicates);
})();
