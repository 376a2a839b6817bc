/* A page's "describe what is happening" box (the search_box macro) hands what the reader types to the header's search
   box (assets/search.js), which opens over the page and ranks the plays: one search, one set of results. A click
   or tap opens the header box at once; typing moves there with the words typed so far. Focus alone does not move:
   tabbing through the page never jumps to the header. */
(() => {
  "use strict";
  const header = document.querySelector("[data-pb-search-input]");
  if (!header) return;
  for (const form of document.querySelectorAll("[data-pb-way-in]")) {
    const input = form.querySelector("input");
    const hand = () => {
      const words = input.value;
      input.value = "";
      if (words) header.value = words;
      header.focus();
      header.setSelectionRange(header.value.length, header.value.length);
      if (words) header.dispatchEvent(new Event("input", {bubbles: true}));
    };
    input.addEventListener("click", hand);
    input.addEventListener("input", hand);
    form.addEventListener("submit", event => {
      event.preventDefault();
      hand();
    });
  }
})();
