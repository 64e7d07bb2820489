"use strict";
// The coverage dashboard: language filter (kept in the URL as #lang=de,fr), the total of the
// selected languages, sortable heatmap columns, and articles that open to their sections.
(function () {
  const table = document.getElementById("heatmap");
  const boxes = Array.from(document.querySelectorAll("#language-filter input[type=checkbox]"));

  function selectedCodes() {
    return boxes.filter((box) => box.checked).map((box) => box.value);
  }

  function formatPercent(value) {
    return value.toFixed(1) + "%";
  }

  function updateTotal(codes) {
    let words = 0;
    let translated = 0;
    document.querySelectorAll("tr.total").forEach((row) => {
      if (codes.includes(row.dataset.lang)) {
        words += Number(row.dataset.words);
        translated += Number(row.dataset.translatedWords);
      }
    });
    const percent = words === 0 ? 100 : (100 * translated) / words;
    const output = document.getElementById("selected-percent");
    output.value = formatPercent(percent);
    output.dataset.percent = percent.toFixed(1);
    output.dataset.languages = codes.join(",");
    document.getElementById("selected-translated").textContent = translated.toLocaleString("en-US");
    document.getElementById("selected-words").textContent = words.toLocaleString("en-US");
  }

  function applyFilter() {
    const codes = selectedCodes();
    boxes.forEach((box) => {
      document.querySelectorAll('[data-lang="' + box.value + '"]').forEach((el) => {
        el.classList.toggle("off", !box.checked);
      });
    });
    updateTotal(codes);
    const hash = codes.length === boxes.length ? "" : "#lang=" + codes.join(",");
    if (hash !== location.hash) location.replace(hash || "#");
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

  function setOpen(group, open) {
    const toggle = group.querySelector(".toggle");
    if (!toggle) return;
    toggle.setAttribute("aria-expanded", String(open));
    group.querySelectorAll("tr.section-row").forEach((row) => {
      row.hidden = !open;
    });
  }

  function sortKey(group, key) {
    if (key === "title") return (group.dataset.title || "").toLowerCase();
    if (key === "words") return Number(group.dataset.words || 0);
    const cell = group.querySelector('tr.article-row td[data-lang="' + key + '"]');
    return cell ? Number(cell.dataset.percent) : -1;
  }

  function sortBy(header) {
    const key = header.querySelector("button").dataset.sort;
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach((th) => th.removeAttribute("aria-sort"));
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const order = [];
    const groups = new Map();
    table.querySelectorAll(":scope > tbody").forEach((body) => {
      const name = body.dataset.group;
      if (!groups.has(name)) {
        groups.set(name, { heads: [], articles: [], missing: [] });
        order.push(name);
      }
      const group = groups.get(name);
      if (body.classList.contains("article")) group.articles.push(body);
      else if (body.classList.contains("missing")) group.missing.push(body);
      else group.heads.push(body);
    });
    const compare = (a, b) => {
      const x = sortKey(a, key);
      const y = sortKey(b, key);
      const result = typeof x === "string" ? x.localeCompare(y) : x - y;
      return ascending ? result : -result;
    };
    const foot = table.querySelector("tfoot");
    order.forEach((name) => {
      const group = groups.get(name);
      group.articles.sort(compare);
      [...group.heads, ...group.articles, ...group.missing].forEach((body) => {
        table.insertBefore(body, foot);
      });
    });
  }

  boxes.forEach((box) => box.addEventListener("change", applyFilter));
  document.querySelectorAll("[data-select]").forEach((button) => {
    button.addEventListener("click", () => {
      const all = button.dataset.select === "all";
      boxes.forEach((box) => {
        box.checked = all;
      });
      applyFilter();
    });
  });
  document.querySelectorAll("[data-expand]").forEach((button) => {
    button.addEventListener("click", () => {
      const open = button.dataset.expand === "all";
      table.querySelectorAll("tbody.article").forEach((group) => setOpen(group, open));
    });
  });
  const articleGroups = table.querySelectorAll("tbody.article");
  articleGroups.forEach((group) => {
    setOpen(group, articleGroups.length === 1); // a lone article shows its sections
    const toggle = group.querySelector(".toggle");
    if (toggle) {
      toggle.addEventListener("click", () => {
        setOpen(group, toggle.getAttribute("aria-expanded") !== "true");
      });
    }
  });
  table.querySelectorAll("thead th").forEach((header) => {
    const button = header.querySelector("button[data-sort]");
    if (button) button.addEventListener("click", () => sortBy(header));
  });
  document.querySelectorAll("[data-needs-script]").forEach((el) => {
    el.hidden = false;
  });
  readHash();
  applyFilter();
})();
