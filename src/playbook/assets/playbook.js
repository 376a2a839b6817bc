/* Checklist ticks (kept in this browser's localStorage only), reset, copy as Markdown, and the
   scenario filters. No request leaves the page. Also the site's storage keys (playbookStorage), which the
   agenda scripts use too. */
(function () {
  "use strict";

  var OLD_KEY = /^playbook:(agenda|checklist:.+)$/;  // the unscoped keys of earlier versions
  document.documentElement.classList.add("pb-js");  // shows the controls that need JavaScript (playbook.css)
  var SCRIPT = document.currentScript ? document.currentScript.src : "";

  /* ---------- keys scoped to this site ---------- */

  /* The site's root URL: Material's config gives the base relative to this page; else this script's folder's
     parent (the script is always at <root>/assets/). */
  function siteRoot() {
    var config = document.getElementById("__config");
    if (config) {
      try {
        var base = JSON.parse(config.textContent).base;
        if (typeof base === "string" && base) { return new URL(base.replace(/\/?$/, "/"), window.location.href); }
      } catch (e) { /* fall through to the script's address */ }
    }
    return new URL(SCRIPT ? "../" : "/", SCRIPT || window.location.href);
  }

  var prefix = null;
  var migrated = false;

  /* Every project site of an owner shares one origin (OWNER.github.io), so each key carries the site's path. */
  function keyPrefix() {
    if (prefix === null) { prefix = "playbook:" + siteRoot().pathname + ":"; }
    return prefix;
  }

  /* Once per page: move the unscoped keys of earlier versions to this site's keys where it has none yet. An old
     key is removed only once this site holds the same value: a value that differs belongs to another site on
     this origin that has not moved yet, and stays for it. */
  function migrate() {
    if (migrated) { return; }
    migrated = true;
    try {
      var ls = window.localStorage;
      var old = [];
      for (var i = 0; i < ls.length; i += 1) {
        var name = ls.key(i);
        if (name && OLD_KEY.test(name)) { old.push(name); }
      }
      old.forEach(function (name) {
        var value = ls.getItem(name);
        var key = keyPrefix() + name.replace(OLD_KEY, "$1");
        var now = ls.getItem(key);
        if (now === null) { ls.setItem(key, value); now = value; }
        if (now === value) { ls.removeItem(name); }
      });
    } catch (e) { /* storage off or full: the old keys stay, to be moved on a later visit */ }
  }

  function key(name) {
    migrate();
    return keyPrefix() + name;
  }

  /* Copies of stored values the page could not read, oldest first: [{key, value, date}]. */
  function kept(of) {
    var found = [];
    try {
      var ls = window.localStorage;
      var start = of + ":kept:";
      for (var i = 0; i < ls.length; i += 1) {
        var name = ls.key(i);
        if (name && name.indexOf(start) === 0) {
          found.push({key: name, value: ls.getItem(name), date: name.slice(start.length)});
        }
      }
    } catch (e) { return []; }
    return found.sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : 0; });
  }

  /* Keep `raw` (the text stored under `of`) aside, once, before anything writes over it; false when it
     could not be kept, and then nothing may write over it. */
  function keepAside(of, raw) {
    if (kept(of).some(function (k) { return k.value === raw; })) { return true; }
    try {
      window.localStorage.setItem(of + ":kept:" + new Date().toISOString(), raw);
      return true;
    } catch (e) {
      return false;
    }
  }

  window.playbookStorage = {key: key, kept: kept, keepAside: keepAside, siteRoot: siteRoot};

  /* ---------- Markdown ---------- */

  /* Text that stays literal in any Markdown renderer: what could start emphasis, code, a link, strike-through,
     a table cell or an HTML tag is escaped, and line breaks become spaces. */
  function markdownText(text) {
    return String(text).replace(/\s+/g, " ").trim()
      .replace(/([\\`*_[\]~|])/g, "\\$1")
      .replace(/&(?=#?[A-Za-z0-9]+;)/g, "&amp;")
      .replace(/<(?=[A-Za-z/!?])/g, "&lt;");
  }
  window.playbookMarkdownText = markdownText;

  /* ---------- checklists ---------- */

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /* The ticks stored for a checklist, as {ticks, kept, frozen}: what cannot be read is kept aside first (kept),
     and when it cannot be kept aside the page must not save over it (frozen). */
  function load(id) {
    var raw = null;
    var name = key("checklist:" + id);
    try { raw = window.localStorage.getItem(name); } catch (e) { return {ticks: {}, kept: false, frozen: false}; }
    if (raw === null) { return {ticks: {}, kept: false, frozen: false}; }
    var data;
    try { data = JSON.parse(raw); } catch (e) { data = undefined; }
    var ticks = {};
    var whole = isObject(data);
    if (whole) {
      Object.keys(data).forEach(function (k) {
        if (data[k] === true) { ticks[k] = true; } else { whole = false; }
      });
    }
    if (whole) { return {ticks: ticks, kept: false, frozen: false}; }
    var aside = keepAside(name, raw);
    return {ticks: ticks, kept: aside, frozen: !aside};
  }

  function save(id, ticks) {
    try { window.localStorage.setItem(key("checklist:" + id), JSON.stringify(ticks)); } catch (e) { /* full or off */ }
  }

  function markdown(box) {
    var out = ["# " + markdownText(box.getAttribute("data-title")), ""];
    box.querySelectorAll("fieldset").forEach(function (set) {
      out.push("## " + markdownText(set.querySelector("legend").textContent), "");
      set.querySelectorAll("li").forEach(function (li) {
        var input = li.querySelector("input");
        var label = li.querySelector("label").cloneNode(true);
        var mark = label.querySelector(".pb-critical-mark");
        if (mark) { mark.remove(); }
        out.push("- [" + (input.checked ? "x" : " ") + "] " + markdownText(label.textContent));
      });
      out.push("");
    });
    return out.join("\n").trim() + "\n";
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  window.playbookCopyText = copyText;  // the agenda page copies through it too

  function setupChecklist(box) {
    if (box.dataset.pbReady) { return; }
    box.dataset.pbReady = "1";
    var id = box.getAttribute("data-checklist");
    var status = box.querySelector(".pb-status");
    var inputs = box.querySelectorAll("input[type=checkbox][data-key]");
    var first = load(id);
    inputs.forEach(function (input) {
      input.checked = !!first.ticks[input.getAttribute("data-key")];
      input.addEventListener("change", function () {
        var now = load(id);
        if (now.frozen) { return; }  // what is stored could not be kept aside: never write over it
        var item = input.getAttribute("data-key");
        if (input.checked) { now.ticks[item] = true; } else { delete now.ticks[item]; }
        save(id, now.ticks);
      });
    });
    if (first.kept || first.frozen) { status.textContent = status.getAttribute("data-msg-ticks-kept"); }
    box.querySelector("form").addEventListener("submit", function (event) { event.preventDefault(); });
    box.querySelector("[data-pb-action=reset]").addEventListener("click", function () {
      inputs.forEach(function (input) { input.checked = false; });
      if (!load(id).frozen) {
        try { window.localStorage.removeItem(key("checklist:" + id)); } catch (e) { /* ignore */ }
      }
      status.textContent = status.getAttribute("data-msg-cleared");
    });
    box.querySelector("[data-pb-action=copy]").addEventListener("click", function () {
      var text = markdown(box);
      box.setAttribute("data-markdown", text);
      copyText(text).then(function () {
        status.textContent = status.getAttribute("data-msg-copied");
      }, function () {
        status.textContent = status.getAttribute("data-msg-copy-failed");
      });
    });
  }

  function setupFilter(root) {
    if (root.dataset.pbReady) { return; }
    root.dataset.pbReady = "1";
    var text = root.querySelector("[data-pb-filter-text]");
    var tag = root.querySelector("[data-pb-filter-tag]");
    var difficulty = root.querySelector("[data-pb-filter-difficulty]");
    var count = root.querySelector("[data-pb-count]");
    var rows = root.querySelectorAll("tbody tr");
    // What a word filter matches: the row's title and summary, and the situation it carries as data, read once.
    var hays = Array.prototype.map.call(rows, function (row) {
      return (row.cells[0].textContent + " " + (row.getAttribute("data-situation") || "")).toLowerCase();
    });
    function apply() {
      var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var hay = hays[i];
        var ok = words.every(function (w) { return hay.indexOf(w) !== -1; }) &&
          (!tag.value || (" " + row.getAttribute("data-tags") + " ").indexOf(" " + tag.value + " ") !== -1) &&
          (!difficulty.value || row.getAttribute("data-difficulty") === difficulty.value);
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      var template = shown !== rows.length ? count.getAttribute("data-msg-filtered") :
        count.getAttribute(rows.length === 1 ? "data-msg-count-one" : "data-msg-count");
      count.textContent = template.replace("{shown}", shown).replace("{n}", rows.length);
    }
    [text, tag, difficulty].forEach(function (el) { el.addEventListener("input", apply); el.addEventListener("change", apply); });
    var params = new URLSearchParams(window.location.search);
    if (params.get("tag")) { tag.value = params.get("tag"); }
    apply();
  }

  function init() {
    document.querySelectorAll(".pb-checklist[data-checklist]").forEach(setupChecklist);
    document.querySelectorAll("[data-pb-filter]").forEach(setupFilter);
    if (document.querySelector(".md-content .pb-head + h2#checklist, #checklist")) {
      document.body.classList.add("pb-print-checklist");
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
