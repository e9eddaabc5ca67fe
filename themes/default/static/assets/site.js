// blomlåda: small enhancements. Every page is complete without this file.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "sv";
  var collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });

  // Sortable tables: a button in each column heading; numbers sort by data-sort.
  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) return "";
    var sort = cell.getAttribute("data-sort");
    return sort !== null ? parseFloat(sort) : cell.textContent.trim();
  }
  function sortTable(table, index, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      var order = (typeof x === "number" && typeof y === "number") ? x - y : collator.compare(String(x), String(y));
      return descending ? -order : order;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (r) { fragment.appendChild(r); });
    body.appendChild(fragment);
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        sortTable(table, index, descending);
      });
    });
  });

  // Filters of the comparison table: by name, by county, and "similar to" a municipality
  // (itself and its five most similar, by answers or by population; data-answers and
  // data-population hold their codes).
  Array.prototype.forEach.call(document.querySelectorAll("form.filters"), function (form) {
    var table = document.getElementById(form.getAttribute("data-filter-for"));
    if (!table) return;
    var name = form.querySelector("input[name=name]");
    var county = form.querySelector("select[name=county]");
    var similar = form.querySelector("select[name=similar]");
    var kind = form.querySelector("select[name=kind]");
    var status = form.querySelector(".filter-status");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    function similarCodes() {
      if (!similar || !similar.value) return null;
      var codes = [similar.value];
      rows.forEach(function (row) {
        if (row.getAttribute("data-code") === similar.value) {
          codes = codes.concat((row.getAttribute("data-" + kind.value) || "").split(" "));
        }
      });
      return codes;
    }
    function apply() {
      var wanted = name.value.trim().toLocaleLowerCase(lang);
      var code = county.value;
      var near = similarCodes();
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.cells[0].textContent.toLocaleLowerCase(lang);
        var visible = (!wanted || text.indexOf(wanted) !== -1) && (!code || row.getAttribute("data-county") === code) &&
          (!near || near.indexOf(row.getAttribute("data-code")) !== -1);
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      status.textContent = shown + " / " + rows.length;
    }
    form.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    name.addEventListener("input", apply);
    county.addEventListener("change", apply);
    if (similar) {
      similar.addEventListener("change", apply);
      kind.addEventListener("change", apply);
    }
  });

  // The flower box: show a shape's title on hover and on keyboard focus. The tooltip stays
  // while the pointer moves onto it (so it can be read and selected) and goes with Escape.
  var tip = null;
  var hideTimer = null;
  function cancelHide() {
    if (hideTimer) { clearTimeout(hideTimer); hideTimer = null; }
  }
  function hide() { cancelHide(); if (tip) tip.hidden = true; }
  function hideSoon() { cancelHide(); hideTimer = setTimeout(hide, 400); }
  // A picture inline in a page names each indicator by its id and answer only: the page lists
  // every indicator with its text (a link to the indicator's page), and the tooltip adds it.
  function tooltipText(shape, title) {
    var text = title.textContent;
    var svg = shape.closest("svg[data-catalog]");
    var id = shape.getAttribute("data-indicator");
    if (!svg || !id || text.indexOf(id + ": ") !== 0) return text;
    var suffix = "/" + svg.getAttribute("data-catalog") + "/" + id + "/";
    var full = "";
    Array.prototype.forEach.call(document.querySelectorAll("a[href]"), function (a) {
      var href = a.getAttribute("href");
      var words = a.textContent.trim();
      if (href.slice(-suffix.length) === suffix && words.length > full.length) full = words;
    });
    return full ? id + ": " + full + " — " + text.slice(id.length + 2) : text;
  }
  function show(shape) {
    var title = shape.querySelector("title");
    if (!title) return;
    cancelHide();
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "tooltip";
      tip.setAttribute("role", "tooltip");
      tip.id = "flowerbox-tooltip";
      tip.addEventListener("mouseenter", cancelHide);
      tip.addEventListener("mouseleave", hideSoon);
      document.body.appendChild(tip);
    }
    tip.textContent = tooltipText(shape, title);
    tip.hidden = false;
    var box = shape.getBoundingClientRect();
    tip.style.left = Math.max(8, window.scrollX + box.left + box.width / 2 - 120) + "px";
    tip.style.top = (window.scrollY + box.bottom + 4) + "px";
  }
  Array.prototype.forEach.call(document.querySelectorAll(".flowerbox-svg .indicator, .map-svg a"), function (shape) {
    shape.addEventListener("mouseenter", function () { show(shape); });
    shape.addEventListener("mouseleave", hideSoon);
    shape.addEventListener("focus", function () { show(shape); });
    shape.addEventListener("blur", hide);
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });

  // Built without the site's address, the embed code starts its addresses at the host's root;
  // complete them with this page's host so that the code works on another site.
  if (/^https?:$/.test(location.protocol)) {
    Array.prototype.forEach.call(document.querySelectorAll("textarea.embed[data-resolve]"), function (area) {
      area.value = area.value.replace(/(href|src)="\//g, "$1=\"" + location.origin + "/");
    });
  }

  // A citation's "retrieved" date is the reader's today, which a static page cannot know.
  Array.prototype.forEach.call(document.querySelectorAll("[data-today]"), function (span) {
    var now = new Date();
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    span.textContent = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
  });

  // Select the embed code when it gets focus, ready to copy.
  Array.prototype.forEach.call(document.querySelectorAll("textarea.embed"), function (area) {
    area.addEventListener("focus", function () { area.select(); });
  });
})();
