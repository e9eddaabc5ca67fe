// blomlåda: small enhancements. Every page is complete without this file.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "sv";
  var collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });

  // The cells of a table's heading by column: the cell that heads each column on the last
  // heading row (a cell spanning rows heads its column on every row below it).
  function headingGrid(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    var grid = [];
    Array.prototype.forEach.call(rows, function (row, r) {
      grid[r] = grid[r] || [];
      var c = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        while (grid[r][c]) c += 1;
        for (var dr = 0; dr < cell.rowSpan; dr += 1) {
          grid[r + dr] = grid[r + dr] || [];
          for (var dc = 0; dc < cell.colSpan; dc += 1) grid[r + dr][c + dc] = cell;
        }
        c += cell.colSpan;
      });
    });
    return grid;
  }
  function leafHeadings(table) {
    var grid = headingGrid(table);
    var last = grid[grid.length - 1] || [];
    return last.map(function (cell) { return cell && cell.colSpan === 1 ? cell : null; });
  }

  // Sortable tables: a button in each column heading; numbers sort by data-sort, the highest
  // first on the first press (best first), names from A on the first press.
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
    var heads = leafHeadings(table);
    heads.forEach(function (th, index) {
      if (!th) return;
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var current = th.getAttribute("aria-sort");
        var descending = current ? current === "ascending" : th.classList.contains("num");
        heads.forEach(function (h) { if (h) h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        sortTable(table, index, descending);
      });
    });
  });

  // Filters of the comparison table: by name, by county, and "similar to" a municipality
  // (itself and its five most similar, by answers or by population; data-answers and
  // data-population hold their codes).
  Array.prototype.forEach.call(document.querySelectorAll("form.filters[data-filter-for]"), function (form) {
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

  // The comparison table's tools: choose the columns shown, and download the view as CSV
  // (the columns shown, the rows the filters leave, in the order sorted), in the form of the
  // table's own CSV file.
  Array.prototype.forEach.call(document.querySelectorAll(".table-tools[data-tools-for]"), function (tools) {
    var table = document.getElementById(tools.getAttribute("data-tools-for"));
    if (!table) return;
    var heads = leafHeadings(table);
    var groups = headingGrid(table)[0] || [];
    function showColumn(index, visible) {
      heads[index].hidden = !visible;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        if (row.cells[index]) row.cells[index].hidden = !visible;
      });
      // A heading over several columns spans those still shown.
      var group = groups[index];
      if (group && group !== heads[index]) {
        var shown = heads.filter(function (h, i) { return groups[i] === group && h && !h.hidden; }).length;
        group.hidden = shown === 0;
        if (shown) group.colSpan = shown;
      }
    }
    var choices = tools.querySelector(".choices");
    var boxes = {};
    heads.forEach(function (th, index) {
      if (!th || !th.hasAttribute("data-optional")) return;
      var group = groups[index] !== th ? groups[index] : null;
      var key = group ? "g" + groups.indexOf(group) : "top";
      if (!boxes[key]) {
        boxes[key] = document.createElement(group ? "fieldset" : "div");
        if (group) {
          var legend = document.createElement("legend");
          legend.textContent = group.textContent.trim();
          boxes[key].appendChild(legend);
        }
        choices.appendChild(boxes[key]);
      }
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.addEventListener("change", function () { showColumn(index, box.checked); });
      th.chooser = box;
      var abbr = th.querySelector("abbr");
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + (abbr ? abbr.title : th.textContent.trim())));
      boxes[key].appendChild(label);
    });
    function field(text) {
      return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    }
    tools.querySelector(".csv-download").addEventListener("click", function () {
      var shown = [];
      heads.forEach(function (th, index) { if (th && !th.hidden) shown.push(index); });
      var lines = [[table.getAttribute("data-code-csv")].concat(shown.map(function (i) {
        return heads[i].getAttribute("data-csv") || heads[i].textContent.trim();
      })).map(field).join(",")];
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        if (row.hidden) return;
        var values = [row.getAttribute("data-code") || ""];
        shown.forEach(function (i) {
          var cell = row.cells[i];
          var sort = cell.getAttribute("data-sort");
          if (sort === null) values.push(cell.textContent.trim());
          else if (parseFloat(sort) < 0) values.push("");
          else if (heads[i].getAttribute("data-format") === "share") values.push(parseFloat(sort).toFixed(4));
          else values.push(sort);
        });
        lines.push(values.map(field).join(","));
      });
      var url = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], { type: "text/csv;charset=utf-8" }));
      var link = document.createElement("a");
      link.href = url;
      link.download = tools.getAttribute("data-csv-name") || "table.csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 0);
    });
    tools.hidden = false;
    // When the table does not fit, the columns marked data-drop go first (1, then 2), so
    // that the areas stay in view; "choose columns" brings them back.
    var wrap = table.parentElement;
    heads.map(function (th, index) { return { th: th, index: index }; })
      .filter(function (c) { return c.th && c.th.hasAttribute("data-drop"); })
      .sort(function (a, b) { return a.th.getAttribute("data-drop") - b.th.getAttribute("data-drop"); })
      .forEach(function (c) {
        if (wrap.scrollWidth <= wrap.clientWidth) return;
        c.th.chooser.checked = false;
        showColumn(c.index, false);
      });
  });

  // Finding a municipality: the list below the field narrows as one types (letters with or
  // without their accents), and Enter opens the first one left.
  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase(lang);
  }
  Array.prototype.forEach.call(document.querySelectorAll("form.filters[data-find-in]"), function (form) {
    var list = document.getElementById(form.getAttribute("data-find-in"));
    if (!list) return;
    var input = form.querySelector("input[type=search]");
    var status = form.querySelector(".filter-status");
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    var sections = Array.prototype.slice.call(list.querySelectorAll("[data-find-group]"));
    var names = items.map(function (li) { return folded(li.textContent); });
    function apply() {
      var wanted = folded(input.value.trim());
      var shown = 0;
      items.forEach(function (li, i) {
        var visible = !wanted || names[i].indexOf(wanted) !== -1;
        li.hidden = !visible;
        if (visible) shown += 1;
      });
      sections.forEach(function (section) { section.hidden = !section.querySelector("li:not([hidden])"); });
      status.textContent = wanted ? shown + " / " + items.length : "";
    }
    form.hidden = false;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var first = list.querySelector("li:not([hidden]) a");
      if (first) window.location.href = first.href;
    });
    input.addEventListener("input", apply);
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

  // Today, by the reader's clock: a static page holds no date of its own, so that the same
  // content always gives the same files.
  function today() {
    var now = new Date();
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
  }

  // On paper: the page's full address and the day it is printed.
  Array.prototype.forEach.call(document.querySelectorAll(".print-source"), function (source) {
    source.querySelector(".print-url").textContent = window.location.href;
    var date = source.querySelector(".print-date");
    var time = document.createElement("time");
    time.textContent = today();
    time.setAttribute("datetime", time.textContent);
    date.textContent = " · " + date.getAttribute("data-label") + " ";
    date.appendChild(time);
  });

  // Built without the site's address, the embed code starts its addresses at the host's root;
  // complete them with this page's host so that the code works on another site.
  if (/^https?:$/.test(location.protocol)) {
    Array.prototype.forEach.call(document.querySelectorAll("textarea.embed[data-resolve]"), function (area) {
      area.value = area.value.replace(/(href|src)="\//g, "$1=\"" + location.origin + "/");
    });
  }

  // A citation's "retrieved" date is the reader's today.
  Array.prototype.forEach.call(document.querySelectorAll("[data-today]"), function (span) {
    span.textContent = today();
  });

  // Select the embed code when it gets focus, ready to copy.
  Array.prototype.forEach.call(document.querySelectorAll("textarea.embed"), function (area) {
    area.addEventListener("focus", function () { area.select(); });
  });
})();
