/* Checklist ticks (kept in this browser's localStorage only), reset, copy as Markdown, and the
   scenario filters. No request leaves the page. */
(function () {
  "use strict";

  var STORE = "playbook:checklist:";

  function load(id) {
    try { return JSON.parse(window.localStorage.getItem(STORE + id) || "{}"); } catch (e) { return {}; }
  }

  function save(id, state) {
    try { window.localStorage.setItem(STORE + id, JSON.stringify(state)); } catch (e) { /* storage full or off */ }
  }

  function markdown(box) {
    var out = ["# " + box.getAttribute("data-title"), ""];
    box.querySelectorAll("fieldset").forEach(function (set) {
      out.push("## " + set.querySelector("legend").textContent.trim(), "");
      set.querySelectorAll("li").forEach(function (li) {
        var input = li.querySelector("input");
        var label = li.querySelector("label").cloneNode(true);
        var mark = label.querySelector(".pb-critical-mark");
        if (mark) { mark.remove(); }
        out.push("- [" + (input.checked ? "x" : " ") + "] " + label.textContent.trim());
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
    var state = load(id);
    inputs.forEach(function (input) {
      input.checked = !!state[input.getAttribute("data-key")];
      input.addEventListener("change", function () {
        var now = load(id);
        if (input.checked) { now[input.getAttribute("data-key")] = true; } else { delete now[input.getAttribute("data-key")]; }
        save(id, now);
      });
    });
    box.querySelector("form").addEventListener("submit", function (event) { event.preventDefault(); });
    box.querySelector("[data-pb-action=reset]").addEventListener("click", function () {
      inputs.forEach(function (input) { input.checked = false; });
      try { window.localStorage.removeItem(STORE + id); } catch (e) { /* ignore */ }
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
