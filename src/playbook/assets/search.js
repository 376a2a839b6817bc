/* The header's search box over Pagefind (see playbook/search.py). Nothing is fetched until the reader comes to the
   box: then Pagefind's script and the playbook's word lists load. A query drops stop words, adds synonyms, asks
   Pagefind once per word and sums each page's scores, times (1 + share of the words the page holds) ** 2, so a
   sentence in a reader's own words ranks the page holding most of them first. Results are built as DOM text. */
(() => {
  "use strict";
  const root = document.querySelector("[data-pb-search]");
  if (!root) return;
  const input = root.querySelector("[data-pb-search-input]");
  const form = input.form;
  const list = root.querySelector(".md-search-result__list");
  const meta = root.querySelector(".md-search-result__meta");
  const toggle = document.getElementById("__search");
  const base = new URL(root.getAttribute("data-pb-search"), document.baseURI);
  const SHOWN = 10, SYNONYM = 0.8, COVERAGE = 2, WAIT = 40;
  const WORD = /[\p{L}\p{N}_:'\u2019]+/gu;
  let engine = null, asked = 0, timer = 0, placeholder = meta.textContent;

  /* Pagefind and the word lists, loaded once, on the reader's first visit to the box. */
  function load() {
    if (!engine) {
      const words = fetch(new URL("assets/search-words.json", base)).then(r => (r.ok ? r.json() : {}))
        .catch(() => ({}));
      engine = Promise.all([import(new URL("pagefind/pagefind.js", base).href), words]).then(async ([pf, w]) => {
        await pf.options({baseUrl: base.pathname});
        await pf.init();
        return {pf, stop: new Set(w.stop_words || []), synonyms: w.synonyms || {}};
      });
      engine.catch(() => { engine = null; });
    }
    return engine;
  }

  /* The words to search for, each with its weight: the reader's own words, then the playbook's words for them. */
  function terms(query, stop, synonyms) {
    const found = new Map();
    for (const raw of query.toLowerCase().match(WORD) || []) {
      const word = raw.replace(/^['\u2019]+|['\u2019]+$/g, "");
      if (!word || stop.has(word)) continue;
      found.set(word, 1);
      for (const other of Object.prototype.hasOwnProperty.call(synonyms, word) ? synonyms[word] : []) {
        if (!found.has(other)) found.set(other, SYNONYM);
      }
    }
    return [...found];
  }

  async function rank(query) {
    const {pf, stop, synonyms} = await load();
    const words = terms(query, stop, synonyms);
    const score = new Map(), hits = new Map(), result = new Map(), best = new Map();
    const answers = await Promise.all(words.map(([word]) => pf.search(word)));
    answers.forEach((answer, i) => {
      for (const r of (answer && answer.results) || []) {
        const part = words[i][1] * r.score;
        score.set(r.id, (score.get(r.id) || 0) + part);
        hits.set(r.id, (hits.get(r.id) || 0) + 1);
        if (!(best.get(r.id) >= part)) {  // its excerpt shows the word that counted most for it
          best.set(r.id, part);
          result.set(r.id, r);
        }
      }
    });
    const ranked = [...score].map(([id, s]) => [id, s * (1 + hits.get(id) / words.length) ** COVERAGE]);
    ranked.sort((a, b) => b[1] - a[1]);
    return {total: ranked.length, shown: await Promise.all(ranked.slice(0, SHOWN).map(([id]) => result.get(id).data()))};
  }

  const ENTITIES = {amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'"};
  function decode(text) {
    return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
      }
      return Object.prototype.hasOwnProperty.call(ENTITIES, name.toLowerCase()) ? ENTITIES[name.toLowerCase()] : whole;
    });
  }

  /* Pagefind's excerpt is escaped text with <mark> around the words found: text nodes and mark elements only. */
  function excerpt(into, text) {
    text.split(/(<mark>|<\/mark>)/).reduce((marked, part) => {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      if (part) {
        const node = document.createTextNode(decode(part.replace(/<[^>]*>/g, "")));
        if (marked) into.appendChild(document.createElement("mark")).appendChild(node);
        else into.appendChild(node);
      }
      return marked;
    }, false);
  }

  function count(n) {
    const key = n === 0 ? "data-pb-none" : n === 1 ? "data-pb-one" : "data-pb-other";
    return (meta.getAttribute(key) || "").replace("#", String(n));
  }

  function show(query, found) {
    const items = found.shown.map(d => {
      const li = document.createElement("li");
      li.className = "md-search-result__item";
      li.setAttribute("data-search-result", "");
      const a = li.appendChild(document.createElement("a"));
      a.className = "md-search-result__link";
      a.href = d.url;
      const article = a.appendChild(document.createElement("article"));
      article.className = "md-search-result__article md-typeset";
      article.appendChild(document.createElement("h1")).textContent = (d.meta && d.meta.title) || d.url;
      excerpt(article.appendChild(document.createElement("p")), d.excerpt || "");
      return li;
    });
    list.replaceChildren(...items);
    list.setAttribute("data-query", query);  // which query the list answers, for whoever waits on it
    meta.textContent = count(found.total);
  }

  async function run() {
    const query = input.value.trim(), mine = ++asked;
    if (!query) {
      list.replaceChildren();
      list.removeAttribute("data-query");
      meta.textContent = placeholder;
      return;
    }
    try {
      const found = await rank(query);
      if (mine === asked) show(query, found);
    } catch (error) {
      if (mine === asked) meta.textContent = count(0);
      console.error("search:", error);
    }
  }

  function open() {
    if (toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    load().catch(error => console.error("search:", error));
  }

  function close() {
    if (toggle && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    input.blur();
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, WAIT);
    // While the reader types, fetch the index chunks the words so far fall in (Pagefind's preload).
    if (engine) engine.then(({pf, stop, synonyms}) => terms(input.value, stop, synonyms).forEach(([w]) => pf.preload(w)))
      .catch(() => {});
  });
  form.addEventListener("submit", event => {
    event.preventDefault();
    const first = list.querySelector("a");
    if (first) first.click();
  });
  form.addEventListener("reset", () => setTimeout(() => { run(); input.focus(); }));
  if (toggle) {
    toggle.addEventListener("change", () => {
      if (toggle.checked && document.activeElement !== input) input.focus();
    });
  }
  /* Keyboard: arrows walk the results and back to the box, Escape closes, "/" or "s" opens from anywhere. */
  root.addEventListener("keydown", event => {
    const links = [...list.querySelectorAll("a")];
    const at = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : links[at - 1]).focus();
    }
  });
  document.addEventListener("keydown", event => {
    const target = event.target;
    const typing = target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && (event.key === "/" || event.key === "s")) {
      event.preventDefault();
      input.focus();
    }
  });
})();
