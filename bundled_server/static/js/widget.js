// Code on demand: the server sends this script, the browser runs it.
// It fetches the items collection and renders it, using only DOM APIs
// (textContent, never innerHTML) so item names cannot inject markup.
"use strict";

(function () {
  const TEXT = {
    en: { name: "Name", category: "Category", price: "Price", stock: "Stock",
          inStock: "in stock", out: "sold out", loaded: (n) => `${n} items rendered by widget.js`,
          failed: (s) => `Could not load the items (${s}).` },
    ko: { name: "이름", category: "분류", price: "가격", stock: "재고",
          inStock: "재고 있음", out: "품절", loaded: (n) => `widget.js 가 상품 ${n}개를 그렸습니다`,
          failed: (s) => `상품을 불러오지 못했습니다 (${s}).` },
  };

  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function render(container, items, t) {
    const table = document.createElement("table");
    table.className = "data-table";
    table.id = "items-table";
    const head = table.createTHead().insertRow();
    for (const label of [t.name, t.category, t.price, t.stock]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = label;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const item of items) {
      const row = body.insertRow();
      row.className = "item-row";
      row.dataset.id = String(item.id);
      cell(row, item.name, "item-name");
      cell(row, item.category);
      cell(row, item.price.toFixed(2), "num");
      const badge = document.createElement("span");
      badge.className = item.in_stock ? "badge" : "badge badge-out";
      badge.textContent = item.in_stock ? t.inStock : t.out;
      cell(row, "").appendChild(badge);
    }
    container.appendChild(table);
  }

  async function start() {
    const container = document.getElementById("items-widget");
    if (!container) return;
    const status = document.getElementById("items-status");
    const t = TEXT[container.dataset.lang] || TEXT.en;
    try {
      const response = await fetch(container.dataset.source, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const page = await response.json();
      render(container, page.data, t);
      status.textContent = t.loaded(page.data.length);
      container.dataset.state = "loaded";
    } catch (error) {
      status.textContent = t.failed(error.message);
      container.dataset.state = "failed";
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
