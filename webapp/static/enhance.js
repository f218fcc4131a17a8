// Small enhancements only: every control on the site works without this file.

// A facet's filter box narrows its list while you type; submitting it still asks the server.
// The listener sits on the document so that it still works once live results replace the facets.
document.addEventListener("input", (event) => {
  const input = event.target;
  if (!input.matches("input[data-filter-list]")) return;
  const list = document.getElementById(input.dataset.filterList);
  if (!list) return;
  const needle = input.value.trim().toLocaleLowerCase();
  for (const item of list.children) {
    const value = item.querySelector(".facet-value");
    const label = value.querySelector(".label").textContent.toLocaleLowerCase();
    item.hidden = !(value.classList.contains("selected") || label.includes(needle));
  }
});

// Results as you type on the search page: shortly after the last key in the search box, the
// page for the new query is fetched and its facets and results, which the server escaped,
// take the place of these. The address follows, so the page can still be shared or reloaded.
const LIVE_DELAY_MS = 150;
const LIVE_PARTS = ["nav.facets", "#results"];
const searchForm = document.querySelector("form.search-box");
if (searchForm && document.getElementById("results")) {
  const box = searchForm.elements.q;
  let shownQuery = box.value;
  let timer = 0;
  let pending = null;

  const cancelPending = () => {
    clearTimeout(timer);
    pending?.abort();
    pending = null;
  };

  // The address the form would submit, leaving out empty fields as the page's own links do.
  const searchUrl = () => {
    const url = new URL(searchForm.action);
    for (const [name, value] of new FormData(searchForm)) {
      if (value !== "") url.searchParams.append(name, value);
    }
    return url;
  };

  const showResults = async () => {
    const query = box.value;
    const url = searchUrl();
    const controller = new AbortController();
    pending = controller;
    let fresh;
    try {
      const response = await fetch(url, { signal: controller.signal });
      if (!response.ok) return;
      fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch {
      return; // a newer key aborted it, or the server is out of reach: the form still works
    }
    if (pending !== controller) return;
    pending = null;
    const parts = LIVE_PARTS.map((selector) => [
      document.querySelector(selector),
      fresh.querySelector(selector),
    ]);
    if (parts.some(([shown, found]) => !shown || !found)) return;
    for (const [shown, found] of parts) shown.replaceWith(document.adoptNode(found));
    for (const link of document.querySelectorAll('head link[rel="alternate"]')) {
      const twin = fresh.querySelector(`head link[rel="alternate"][type="${link.type}"]`);
      if (twin) link.setAttribute("href", twin.getAttribute("href"));
    }
    document.title = fresh.title;
    shownQuery = query;
    history.replaceState(null, "", url);
  };

  box.addEventListener("input", () => {
    cancelPending();
    if (box.value !== shownQuery) timer = setTimeout(showResults, LIVE_DELAY_MS);
  });
  searchForm.addEventListener("submit", cancelPending);
}
