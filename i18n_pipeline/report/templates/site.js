"use strict";
// The dashboard site: the language filter (kept in the URL as #lang=de,fr and carried along
// the links between pages), the total of the selected languages, sortable tables, and
// articles that open to their sections.
(function () {
  const boxes = Array.from(document.querySelectorAll("#language-filter input[type=checkbox]"));
  const grids = Array.from(document.querySelectorAll("table.grid"));
  const hiding = document.createElement("style");
  document.head.append(hiding);

  function selectedCodes() {
    return boxes.filter((box) => box.checked).map((box) => box.value);
  }

  function updateTotal(codes) {
    const output = document.getElementById("selected-percent");
    if (!output) return;
    let words = 0;
    let translated = 0;
    document.querySelectorAll("tr.total").forEach((row) => {
      if (codes.includes(row.dataset.lang)) {
        words += Number(row.dataset.words);
        translated += Number(row.dataset.translatedWords);
      }
    });
    const percent = words === 0 ? 100 : (100 * translated) / words;
    output.value = percent.toFixed(1) + "%";
    output.dataset.percent = percent.toFixed(1);
    output.dataset.languages = codes.join(",");
    document.getElementById("selected-translated").textContent = translated.toLocaleString("en-US");
    document.getElementById("selected-words").textContent = words.toLocaleString("en-US");
  }

  function applyFilter() {
    const codes = selectedCodes();
    const rules = [];
    grids.forEach((table, n) => {
      table.dataset.gridNumber = String(n);
      const heads = Array.from(table.querySelectorAll("thead tr:first-child > *"));
      heads.forEach((th, column) => {
        if (th.dataset.lang && !codes.includes(th.dataset.lang)) {
          rules.push('table[data-grid-number="' + n + '"] tr > :nth-child(' + (column + 1) + ")");
        }
      });
    });
    hiding.textContent = rules.length ? rules.join(",\n") + " { display: none; }" : "";
    document.querySelectorAll("[data-lang]").forEach((el) => {
      el.classList.toggle("off", !codes.includes(el.dataset.lang));
    });
    updateTotal(codes);
    const hash = codes.length === boxes.length ? "" : "#lang=" + codes.join(",");
    if (hash !== location.hash) location.replace(hash || "#");
    document.querySelectorAll("a.in").forEach((link) => {
      const base = link.getAttribute("href").split("#")[0];
      link.setAttribute("href", base + hash);
    });
  }

  function readHash() {
    const match = /(?:^#|&)lang=([^&]*)/.exec(location.hash);
    if (!match) return;
    const wanted = decodeURIComponent(match[1]).split(",");
    if (!boxes.some((box) => wanted.includes(box.value))) return;
    boxes.forEach((box) => {
      box.checked = wanted.includes(box.value);
    });
  }

  function value(cell) {
    if (!cell) return -1;
    const text = cell.textContent.replace(/[,%✓\s]/g, "");
    const number = Number.parseFloat(text);
    return Number.isNaN(number) ? -1 : number;
  }

  function sortTable(table, header) {
    const column = Array.from(header.parentNode.children).indexOf(header);
    const textual = header.querySelector("button").dataset.sort === "title" || column === 0;
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach((th) => th.removeAttribute("aria-sort"));
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const key = (row) => {
      const cell = row.children[column];
      if (textual || table.classList.contains("list") && !cell?.classList.contains("num")) {
        return (row.dataset.title || (cell ? cell.textContent : "")).toLowerCase();
      }
      return value(cell);
    };
    const compare = (a, b) => {
      const x = key(a);
      const y = key(b);
      const result = typeof x === "string" ? x.localeCompare(y) : x - y;
      return ascending ? result : -result;
    };
    if (table.hasAttribute("data-sort-bodies")) {
      const bodies = Array.from(table.querySelectorAll(":scope > tbody.article"));
      const rest = table.querySelector(":scope > tbody.missing, :scope > tfoot");
      bodies
        .map((body) => [body, body.rows[0]])
        .sort((a, b) => compare(a[1], b[1]))
        .forEach(([body]) => table.insertBefore(body, rest));
      return;
    }
    table.querySelectorAll(":scope > tbody").forEach((body) => {
      const rows = Array.from(body.rows).filter((row) => !row.classList.contains("head"));
      rows.sort(compare).forEach((row) => body.append(row));
    });
  }

  function setOpen(group, open) {
    const toggle = group.querySelector(".toggle");
    if (!toggle) return;
    toggle.setAttribute("aria-expanded", String(open));
    group.querySelectorAll("tr.section-row").forEach((row) => {
      row.hidden = !open;
    });
  }

  boxes.forEach((box) => box.addEventListener("change", applyFilter));
  document.querySelectorAll("[data-select]").forEach((button) => {
    button.addEventListener("click", () => {
      boxes.forEach((box) => {
        box.checked = button.dataset.select === "all";
      });
      applyFilter();
    });
  });
  const articles = document.querySelectorAll("tbody.article");
  articles.forEach((group) => {
    setOpen(group, articles.length === 1); // a lone article shows its sections
    const toggle = group.querySelector(".toggle");
    toggle.addEventListener("click", () => {
      setOpen(group, toggle.getAttribute("aria-expanded") !== "true");
    });
  });
  document.querySelectorAll("[data-expand]").forEach((button) => {
    button.addEventListener("click", () => {
      articles.forEach((group) => setOpen(group, button.dataset.expand === "all"));
    });
  });
  document.querySelectorAll("table.grid, table.sortable").forEach((table) => {
    table.querySelectorAll("thead th").forEach((header) => {
      const button = header.querySelector("button");
      if (button) button.addEventListener("click", () => sortTable(table, header));
    });
  });
  document.querySelectorAll("[data-needs-script]").forEach((el) => {
    el.hidden = false;
  });
  readHash();
  applyFilter();
})();
