/* The agenda's data: its format (checked the same way for what is stored and what is restored), recovery of
   what can be read of anything else, the store in this browser's localStorage under this site's key (playbook.js
   scopes it), and the agenda as Markdown and as a file. agenda-buttons.js and agenda-page.js use it through
   window.playbookAgenda once the page has loaded, whatever order the scripts load in. */
(function () {
  "use strict";

  var A = window.playbookAgenda = window.playbookAgenda || {};

  var FORMAT = "playbook-agenda";
  var VERSION = 1;
  var GROUPS = ["topics", "questions", "decisions", "carried"];
  var DATE = /^\d{4}-\d{2}-\d{2}$/;
  var ID = /^[a-z0-9-]{1,40}$/;
  // A page of this site, relative to its root, with an optional fragment: never a scheme, a host or "..".
  var PATH = /^(?:[a-z0-9][a-z0-9._-]*\/)+(?:#[A-Za-z0-9_-]+)?$/;
  var MAX_TEXT = 2000;
  // What a restored file may hold: more would make every later visit slow, or not fit in the browser's storage.
  var MAX_ENTRIES = 5000;
  var MAX_MEGABYTES = 2;

  function agendaKey() {
    return window.playbookStorage.key("agenda");
  }

  function fill(text, values) {
    return text.replace(/\{([a-z_]+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function newId() {
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 8);
  }

  function siteRoot() {
    return window.playbookStorage.siteRoot();
  }

  /* ---------- storage and the data format ---------- */

  function emptyState() {
    return {format: FORMAT, version: VERSION, current: [], history: []};
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function onlyKeys(obj, allowed) {
    return Object.keys(obj).every(function (k) { return allowed.indexOf(k) !== -1; });
  }

  function validEntry(e, seen) {
    if (!isObject(e) || !onlyKeys(e, ["id", "text", "group", "done", "added", "carried", "source"])) { return false; }
    if (typeof e.id !== "string" || !ID.test(e.id) || seen[e.id]) { return false; }
    seen[e.id] = true;
    if (typeof e.text !== "string" || !e.text.trim() || e.text.length > MAX_TEXT) { return false; }
    if (GROUPS.indexOf(e.group) === -1 || typeof e.done !== "boolean") { return false; }
    if (typeof e.added !== "string" || !DATE.test(e.added)) { return false; }
    if (e.carried !== undefined && (typeof e.carried !== "string" || !DATE.test(e.carried))) { return false; }
    if (e.source !== undefined) {
      var s = e.source;
      if (!isObject(s) || !onlyKeys(s, ["title", "path"]) || typeof s.title !== "string" || !s.title.trim() ||
          s.title.length > MAX_TEXT || typeof s.path !== "string" || !PATH.test(s.path)) { return false; }
    }
    return true;
  }

  /* The agenda data if `data` is exactly our format (the same check for storage and for restored files), else null. */
  function validState(data) {
    if (!isObject(data) || !onlyKeys(data, ["format", "version", "current", "history"])) { return null; }
    if (data.format !== FORMAT || data.version !== VERSION) { return null; }
    if (!Array.isArray(data.current) || !Array.isArray(data.history)) { return null; }
    var seen = {};
    if (!data.current.every(function (e) { return validEntry(e, seen); })) { return null; }
    var ok = data.history.every(function (h) {
      return isObject(h) && onlyKeys(h, ["date", "entries"]) && typeof h.date === "string" && DATE.test(h.date) &&
        Array.isArray(h.entries) && h.entries.every(function (e) { return validEntry(e, seen); });
    });
    return ok ? data : null;
  }

  function validDate(value) {
    return typeof value === "string" && DATE.test(value);
  }

  /* One entry as much as it can be read: unknown keys dropped, text cut to the limit, a repeated or bad id
     replaced (an exact repeat dropped), an unknown group made the first; null when it has no text. */
  function recoverEntry(e, seen) {
    if (!isObject(e) || typeof e.text !== "string" || !e.text.trim()) { return null; }
    var entry = {id: typeof e.id === "string" && ID.test(e.id) ? e.id : newId(), text: e.text.slice(0, MAX_TEXT),
                 group: GROUPS.indexOf(e.group) !== -1 ? e.group : GROUPS[0], done: e.done === true,
                 added: validDate(e.added) ? e.added : today()};
    if (validDate(e.carried)) { entry.carried = e.carried; }
    var s = e.source;
    if (isObject(s) && typeof s.title === "string" && s.title.trim() && typeof s.path === "string" &&
        PATH.test(s.path)) {
      entry.source = {title: s.title.slice(0, MAX_TEXT), path: s.path};
    }
    var whole = JSON.stringify(entry);
    if (Object.prototype.hasOwnProperty.call(seen, entry.id)) {
      if (seen[entry.id] === whole) { return null; }  // the same line twice (an Undo in two tabs): keep one
      while (Object.prototype.hasOwnProperty.call(seen, entry.id)) { entry.id = newId(); }
      whole = JSON.stringify(entry);
    }
    seen[entry.id] = whole;
    return entry;
  }

  /* Whatever can be read of stored data that is not exactly our format, entry by entry. */
  function recoverState(data) {
    var state = emptyState();
    if (!isObject(data)) { return state; }
    var seen = {};
    function each(list) {
      return (Array.isArray(list) ? list : []).map(function (e) { return recoverEntry(e, seen); }).filter(Boolean);
    }
    state.current = each(data.current);
    (Array.isArray(data.history) ? data.history : []).forEach(function (past) {
      if (!isObject(past)) { return; }
      var entries = each(past.entries);
      if (!entries.length) { return; }
      var latest = entries.reduce(function (a, e) { return e.added > a ? e.added : a; }, "");
      var date = validDate(past.date) ? past.date : latest;
      state.history.push({date: date, entries: entries});
    });
    return state;
  }

  function entryCount(state) {
    return state.history.reduce(function (n, past) { return n + past.entries.length; }, state.current.length);
  }

  function copy(value) {
    return JSON.parse(JSON.stringify(value));
  }

  var store = {
    available: null,
    memory: null,
    full: false,      // the last write failed for want of room
    frozen: false,    // what is stored could not be read nor kept aside: never write over it
    recovered: false, // the last read had to recover: its original is kept aside
    written: null,    // the text this page last wrote, to tell another tab's change from our own
    probe: function () {
      if (this.available === null) {
        try {
          var probe = agendaKey() + ":probe";
          window.localStorage.setItem(probe, "1");
          window.localStorage.removeItem(probe);
          this.available = true;
        } catch (e) {
          this.available = e && e.name === "QuotaExceededError";  // full is not off: reading still works
          this.full = this.available;
        }
      }
      return this.available;
    },
    raw: function () {
      try { return window.localStorage.getItem(agendaKey()); } catch (e) { return null; }
    },
    read: function () {
      this.recovered = false;
      if (!this.probe()) { return copy(this.memory || emptyState()); }
      var raw = null;
      try {
        raw = window.localStorage.getItem(agendaKey());
      } catch (e) {
        this.available = false;
        return copy(this.memory || emptyState());
      }
      this.frozen = false;
      if (raw === null) { return emptyState(); }
      var data;
      try { data = JSON.parse(raw); } catch (e) { data = undefined; }
      var valid = data === undefined ? null : validState(data);
      if (valid) { return valid; }
      // Not readable as a whole (damaged, from a newer version, a repeated id): keep the stored text aside, as
      // it is, before anything can write over it, then show what can be read of it.
      this.frozen = !window.playbookStorage.keepAside(agendaKey(), raw);
      this.recovered = true;
      return recoverState(data);
    },
    /* Save; when the browser refuses, keep it in memory for this page only and return false. */
    write: function (state) {
      if (this.probe() && !this.frozen) {
        var text = JSON.stringify(state);
        try {
          window.localStorage.setItem(agendaKey(), text);
          this.written = text;
          this.full = false;
          return true;
        } catch (e) {
          if (e && e.name === "QuotaExceededError") { this.full = true; } else { this.available = false; }
        }
      }
      this.memory = copy(state);
      return false;
    },
    /* Whether the stored agenda is still what this page last wrote (no other tab changed it since). */
    unchanged: function () {
      return !this.probe() || this.raw() === this.written;
    }
  };

  /* ---------- out of the browser and back ---------- */

  function markdownText(text) {
    return window.playbookMarkdownText(text);  // one escaping for every copy, in playbook.js
  }

  /* The current agenda as a Markdown task list, a heading per group; `t` gives the page's words. */
  function markdown(state, t) {
    var out = ["# " + markdownText(t("title")), ""];
    GROUPS.forEach(function (g) {
      var entries = state.current.filter(function (e) { return e.group === g; });
      if (!entries.length) { return; }
      out.push("## " + markdownText(t("group-" + g)), "");
      entries.forEach(function (entry) {
        var line = "- [" + (entry.done ? "x" : " ") + "] " + markdownText(entry.text);
        var notes = [];
        if (entry.source) {
          var url = new URL(entry.source.path, siteRoot()).href;
          notes.push(fill(t("from"), {source: "[" + markdownText(entry.source.title) + "](" + url + ")"}));
        }
        if (entry.carried) { notes.push(markdownText(t("carried-from", {date: entry.carried}))); }
        if (notes.length) { line += " (" + notes.join("; ") + ")"; }
        out.push(line);
      });
      out.push("");
    });
    return out.join("\n").trim() + "\n";
  }

  /* Hand `text` to the browser as a download named `name`. */
  function saveFile(text, name) {
    var blob = new Blob([text], {type: "application/json"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }

  /* Read a chosen file as agendas: `done(problem, state)`, the problem being the name of the message that says
     why nothing can be restored ("restore-too-big", "restore-unreadable", "restore-foreign"), or null. */
  function readFile(file, done) {
    if (file.size > MAX_MEGABYTES * 1000000) { done("restore-too-big", null); return; }
    var reader = new FileReader();
    reader.onload = function () {
      var data;
      try { data = JSON.parse(String(reader.result)); } catch (e) { done("restore-unreadable", null); return; }
      var restored = validState(data);
      if (!restored) { done("restore-foreign", null); return; }
      if (entryCount(restored) > MAX_ENTRIES) { done("restore-too-big", null); return; }
      done(null, restored);
    };
    reader.onerror = function () { done("restore-unreadable", null); };
    reader.readAsText(file);
  }

  /* The notice on the agenda page while a stored agenda it could not read is kept aside, with a download and a
     delete for the oldest kept copy; returns a function that shows or hides it and returns the kept copies. */
  function keptNotice(box, t) {
    function show() {
      var copies = window.playbookStorage.kept(agendaKey());
      box.hidden = !copies.length;
      return copies;
    }
    var actions = {
      download: function () {
        var copies = show();
        if (!copies.length) { return; }
        var name = t("kept-file-name", {date: copies[0].date.slice(0, 10)});
        saveFile(copies[0].value, name);
        A.toast().show(t("downloaded", {file: name}), {words: t});
      },
      delete: function () {
        var copies = show();
        if (!copies.length) { return; }
        try { window.localStorage.removeItem(copies[0].key); } catch (e) { /* blocked: the notice stays */ }
        if (!show().length) {  // the notice and its buttons are gone: keep the focus on the page
          var title = document.querySelector(".pb-agenda-title");
          title.tabIndex = -1;
          title.focus();
        }
        A.toast().show(t("kept-deleted"), {words: t});
      }
    };
    box.querySelectorAll("[data-pb-agenda-kept-action]").forEach(function (button) {
      button.addEventListener("click", actions[button.getAttribute("data-pb-agenda-kept-action")]);
    });
    return show;
  }

  A.GROUPS = GROUPS;
  A.PATH = PATH;
  A.MAX_TEXT = MAX_TEXT;
  A.MAX_ENTRIES = MAX_ENTRIES;
  A.MAX_MEGABYTES = MAX_MEGABYTES;
  A.agendaKey = agendaKey;
  A.fill = fill;
  A.today = today;
  A.newId = newId;
  A.siteRoot = siteRoot;
  A.copy = copy;
  A.store = store;
  A.markdown = markdown;
  A.saveFile = saveFile;
  A.readFile = readFile;
  A.keptNotice = keptNotice;
}());
