// Kontaktpunkt intake desk: type-ahead comboboxes (ARIA 1.2 combobox with a listbox popup), a map
// pin, Ctrl+Enter to save, the trigger of the duplicate hint, and taking a proposed category. Without this file the form still
// works: the category is a select, the address is resolved on the server.
(function () {
  "use strict";

  var form = document.getElementById("desk-form");
  if (!form) {
    return;
  }
  var saveButton = document.getElementById("desk-save");
  var latInput = document.getElementById("id_lat");
  var lonInput = document.getElementById("id_lon");

  function announceChange() {
    document.body.dispatchEvent(new CustomEvent("kp-desk-changed"));
  }

  // ------------------------------------------------------------------ combobox

  function Combobox(input, listbox, options) {
    this.input = input;
    this.listbox = listbox;
    this.url = options.url;
    this.next = options.next;
    this.onPick = options.onPick;
    this.onEdit = options.onEdit;
    this.picked = options.picked || "";
    this.loadedFor = null;
    this.loadingFor = null;
    this.loading = null;
    this.pending = null;
    this.controller = null;
    this.timer = null;
    this.active = -1;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");

    var self = this;
    input.addEventListener("input", function () { self.handleInput(); });
    input.addEventListener("keydown", function (event) { self.handleKeydown(event); });
    input.addEventListener("blur", function () {
      window.setTimeout(function () { self.close(); }, 150);
    });
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option && option.getAttribute("aria-disabled") !== "true") {
        self.pick(option);
      }
    });
  }

  Combobox.prototype.usable = function () {
    return Array.prototype.filter.call(
      this.listbox.querySelectorAll('[role="option"]'),
      function (option) { return option.getAttribute("aria-disabled") !== "true"; }
    );
  };

  Combobox.prototype.handleInput = function () {
    if (this.input.value !== this.picked) {
      this.picked = "";
      this.onEdit();
    }
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.load(); }, 120);
  };

  Combobox.prototype.load = function () {
    var self = this;
    var value = this.input.value;
    var query = value.trim();
    window.clearTimeout(this.timer);
    if (this.controller) {
      this.controller.abort();
    }
    if (query.length < 2) {
      this.render("", value);
      return Promise.resolve();
    }
    var controller = new AbortController();
    this.controller = controller;
    this.loadingFor = value;
    this.loading = fetch(this.url + "?q=" + encodeURIComponent(query), {
      signal: controller.signal,
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (self.input.value === value) {
          self.render(html, value);
        }
      })
      .catch(function () { /* aborted by a newer query */ })
      .finally(function () {
        if (self.controller === controller) {
          self.loadingFor = null;
          self.loading = null;
        }
      });
    return this.loading;
  };

  Combobox.prototype.render = function (html, value) {
    this.listbox.innerHTML = html;
    this.loadedFor = value;
    this.active = -1;
    var hasOptions = this.listbox.querySelector('[role="option"]') !== null;
    this.setOpen(hasOptions && document.activeElement === this.input);
  };

  Combobox.prototype.setOpen = function (open) {
    this.listbox.hidden = !open;
    this.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) {
      this.input.removeAttribute("aria-activedescendant");
      this.active = -1;
    }
  };

  Combobox.prototype.close = function () {
    this.setOpen(false);
  };

  Combobox.prototype.highlight = function (index) {
    var options = this.usable();
    if (!options.length) {
      return;
    }
    index = (index + options.length) % options.length;
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    this.active = index;
    this.input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  };

  Combobox.prototype.handleKeydown = function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var down = event.key === "ArrowDown";
      if (this.listbox.hidden) {
        if (this.loadedFor !== this.input.value) {
          this.load();
          return;
        }
        this.setOpen(this.usable().length > 0);
      }
      this.highlight(this.active < 0 ? (down ? 0 : -1) : this.active + (down ? 1 : -1));
    } else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      this.choose();
    } else if (event.key === "Escape" && !this.listbox.hidden) {
      event.preventDefault();
      this.close();
    }
  };

  // Enter: take the highlighted (or else the first) suggestion for the text as it stands. If the
  // suggestions are still on their way, move on to the next field at once, so that a fast typist's next
  // keystrokes land there, and apply the first suggestion when it arrives (saving waits for it).
  Combobox.prototype.choose = function () {
    var self = this;
    var value = this.input.value;
    if (!value.trim() || value === this.picked) {
      this.close();
      this.focusNext();
      return Promise.resolve();
    }
    if (this.loadedFor === value) {
      var options = this.usable();
      var option = options[this.active] || options[0];
      if (option) {
        this.pick(option, true);
      } else {
        this.close();
        this.focusNext();
      }
      return Promise.resolve();
    }
    var ready;
    if (this.loadingFor === value && this.loading) {
      window.clearTimeout(this.timer);
      ready = this.loading;
    } else {
      ready = this.load();
    }
    this.focusNext();
    this.pending = ready
      .then(function () {
        if (self.input.value !== value) {
          return;
        }
        var first = self.usable()[0];
        if (first) {
          self.pick(first, false);
        } else {
          self.close();
        }
      })
      .finally(function () { self.pending = null; });
    return this.pending;
  };

  Combobox.prototype.pick = function (option, moveOn) {
    var label = option.getAttribute("data-label") || "";
    this.input.value = label;
    this.picked = label;
    this.loadedFor = label;
    this.close();
    this.onPick(option);
    if (moveOn !== false) {
      this.focusNext();
    }
  };

  Combobox.prototype.focusNext = function () {
    var next = document.getElementById(this.next);
    if (next) {
      next.focus();
    }
  };

  // ------------------------------------------------------------------ category

  var categorySelect = document.getElementById("id_category");
  var categoryWrap = document.getElementById("category-combobox");
  var categoryInput = document.getElementById("id_category_search");
  var category = null;
  if (categorySelect && categoryWrap && categoryInput) {
    var selected = categorySelect.options[categorySelect.selectedIndex];
    if (categorySelect.value && selected) {
      categoryInput.value = selected.text;
    }
    categorySelect.hidden = true;
    categoryWrap.hidden = false;
    var categoryLabel = document.getElementById("category-label");
    if (categoryLabel) {
      categoryLabel.setAttribute("for", categoryInput.id);
    }
    category = new Combobox(categoryInput, document.getElementById("category-listbox"), {
      url: form.getAttribute("data-categories-url"),
      next: "id_address",
      picked: categorySelect.value ? categoryInput.value : "",
      onPick: function (option) {
        categorySelect.value = option.getAttribute("data-value");
        announceChange();
      },
      onEdit: function () {
        if (categorySelect.value) {
          categorySelect.value = "";
          announceChange();
        }
      },
    });
  }

  // ------------------------------------------------------------------ place and map

  var pointSource = latInput && latInput.value ? "pick" : null;
  var map = null;
  var marker = null;
  var placeStatus = document.getElementById("place-status");

  // Shows the point; moves the map there unless the point was set on the map itself.
  function showPoint(lat, lon, move) {
    if (!map) {
      return;
    }
    var where = [lat, lon];
    if (marker) {
      marker.setLatLng(where);
    } else {
      marker = window.L.circleMarker(where, {
        radius: 9, color: "#b00020", weight: 3, fillColor: "#ff5a5f", fillOpacity: 0.8,
      }).addTo(map);
    }
    if (move) {
      map.setView(where, Math.max(map.getZoom(), 16));
    }
  }

  function setPoint(lat, lon, source, text) {
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    pointSource = source;
    showPoint(lat, lon, source !== "pin");
    if (placeStatus && text) {
      placeStatus.textContent = text;
    }
    announceChange();
  }

  function clearPoint() {
    latInput.value = "";
    lonInput.value = "";
    pointSource = null;
    if (marker && map) {
      map.removeLayer(marker);
    }
    marker = null;
    announceChange();
  }

  var addressInput = document.getElementById("id_address");
  var place = null;
  if (addressInput) {
    place = new Combobox(addressInput, document.getElementById("place-listbox"), {
      url: form.getAttribute("data-places-url"),
      next: "desk-save",
      picked: pointSource ? addressInput.value : "",
      onPick: function (option) {
        var lat = parseFloat(option.getAttribute("data-lat"));
        var lon = parseFloat(option.getAttribute("data-lon"));
        if (!isNaN(lat) && !isNaN(lon)) {
          setPoint(lat, lon, "pick", option.getAttribute("data-label"));
        }
      },
      onEdit: function () {
        if (pointSource === "pick") {
          clearPoint();
        }
      },
    });
  }

  function nearbyLabel(lat, lon) {
    if (!addressInput || addressInput.value.trim()) {
      return;
    }
    var url = form.getAttribute("data-places-url") + "?lat=" + lat.toFixed(6) + "&lon=" + lon.toFixed(6);
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var holder = document.createElement("ul");
        holder.innerHTML = html;
        var option = holder.querySelector("[data-label]");
        if (option && !addressInput.value.trim()) {
          addressInput.value = option.getAttribute("data-label");
          if (place) {
            place.picked = addressInput.value;
          }
        }
      })
      .catch(function () {});
  }


  function setupMap() {
    var element = document.getElementById("desk-map");
    if (!element || !window.L || !window.KP) {
      return;
    }
    element.hidden = false;
    map = window.KP.mapCreate(element, { zoomSnap: 0.5 });
    var bounds = window.KP.drawBackdrop(map, window.KP.jsonOf("desk-backdrop"));
    var lat = parseFloat(latInput.value);
    var lon = parseFloat(lonInput.value);
    if (!isNaN(lat) && !isNaN(lon)) {
      map.setView([lat, lon], 16);
      showPoint(lat, lon, false);
    } else if (bounds && bounds.isValid()) {
      map.fitBounds(bounds);
    } else {
      map.setView([0, 0], 2);
    }
    map.on("click", function (event) {
      setPoint(event.latlng.lat, event.latlng.lng, "pin", element.getAttribute("data-pin-text"));
      nearbyLabel(event.latlng.lat, event.latlng.lng);
    });
  }
  setupMap();

  // ------------------------------------------------------------------ the proposal from the text

  // A proposed category (a button of the #classification fragment, which htmx refreshes) is taken
  // like a pick in the category combobox; the first one also brings its suggested urgency.
  var prioritySelect = document.getElementById("id_priority");
  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick-category]");
    if (!button || !categorySelect) {
      return;
    }
    categorySelect.value = button.getAttribute("data-pick-category");
    if (category) {
      category.input.value = button.getAttribute("data-label") || "";
      category.picked = category.input.value;
      category.loadedFor = category.input.value;
      category.close();
    }
    if (prioritySelect) {
      prioritySelect.value = button.getAttribute("data-priority") || "";
    }
    announceChange();
    if (addressInput) {
      addressInput.focus();
    }
  });

  // After a refused save, the first field to correct gets the focus.
  if (document.getElementById("desk-errors")) {
    var invalid = Array.prototype.filter.call(
      form.querySelectorAll('[aria-invalid="true"]'),
      function (field) { return field.offsetParent !== null; }
    );
    if (invalid.length) {
      invalid[0].focus();
    }
  }

  // ------------------------------------------------------------------ save

  var submitting = false;

  function pendingPicks() {
    return [category && category.pending, place && place.pending].filter(Boolean);
  }

  function save() {
    Promise.all(pendingPicks()).then(function () {
      form.requestSubmit(saveButton);
    });
  }

  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      save();
    }
  });

  form.addEventListener("submit", function (event) {
    if (submitting) {
      event.preventDefault();
      return;
    }
    if (pendingPicks().length) {
      event.preventDefault();
      save();
      return;
    }
    submitting = true;
    saveButton.setAttribute("aria-disabled", "true");
    saveButton.classList.add("busy");
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      submitting = false;
      saveButton.removeAttribute("aria-disabled");
      saveButton.classList.remove("busy");
    }
  });
})();
