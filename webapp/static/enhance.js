// Small enhancements only: every control on the site works without this file.

// A facet's filter box narrows its list while you type; submitting it still asks the server.
for (const input of document.querySelectorAll("input[data-filter-list]")) {
  const list = document.getElementById(input.dataset.filterList);
  if (!list) continue;
  input.addEventListener("input", () => {
    const needle = input.value.trim().toLocaleLowerCase();
    for (const item of list.children) {
      const value = item.querySelector(".facet-value");
      const label = value.querySelector(".label").textContent.toLocaleLowerCase();
      item.hidden = !(value.classList.contains("selected") || label.includes(needle));
    }
  });
}
