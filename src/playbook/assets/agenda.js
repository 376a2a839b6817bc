/* The agenda builder: "add to my agenda" buttons on plays and checklists, and the agenda page itself.
   Everything lives in this browser's localStorage under one key; no request leaves the page. Text is only
   ever set with textContent and attributes, never parsed as HTML, and every word comes from the page's
   data-msg-* attributes (the generator's strings table). */
(function () {
  "use strict";

  var KEY = "playbook:agenda";
  var FORMAT = "playbook-agenda";
  var VERSION = 1;
  var GROUPS = ["topics", "questions", "decisions", "carried"];
  var DATE = /^\d{4}-\d{2}-\d{2}$/;
  var ID = /^[a-z0-9-]{1,40}$/;
  // A page of this site, relative to its root, with an optional fragment: never a scheme, a host or "..".
  var PATH = /^(?:[a-z0-9][a-z0-9._-]*\/)+(?:#[A-Za-z0-9_-]+)?$/;
  var MAX_TEXT = 2000;

  /* ---------- words ---------- */

  function words(el) {
    return function (name, values) {
      var text = el.getAttribute("data-msg-" + name) || "";
      return fill(text, values || {});
    };
  }

  function fill(text, values) {
    return text.replace(/\{([a-z_]+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  /* Text with one placeholder replaced by a node (a link), as DOM: the string's own text stays text. */
  function withNode(text, name, node) {
    var frag = document.createDocumentFragment();
    var parts = text.split("{" + name + "}");
    parts.forEach(function (part, i) {
      if (i > 0) { frag.appendChild(node); }
      if (part) { frag.appendChild(document.createTextNode(part)); }
    });
    return frag;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function newId() {
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 8);
  }

  /* ---------- the site root, for links back to plays ---------- */

  function siteRoot() {
    var config = document.getElementById("__config");
    var base = ".";
    if (config) {
      try { base = JSON.parse(config.textContent).base || "."; } catch (e) { base = "."; }
    }
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
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

  function copy(value) {
    return JSON.parse(JSON.stringify(value));
  }

  var store = {
    available: null,
    memory: null,
    probe: function () {
      if (this.available === null) {
        try {
          var probe = KEY + ":probe";
          window.localStorage.setItem(probe, "1");
          window.localStorage.removeItem(probe);
          this.available = true;
        } catch (e) {
          this.available = false;
        }
      }
      return this.available;
    },
    read: function () {
      if (!this.probe()) { return copy(this.memory || emptyState()); }
      var raw = null;
      try {
        raw = window.localStorage.getItem(KEY);
      } catch (e) {
        this.available = false;
        return copy(this.memory || emptyState());
      }
      if (!raw) { return emptyState(); }
      try { return validState(JSON.parse(raw)) || emptyState(); } catch (e) { return emptyState(); }
    },
    /* Save; when the browser refuses, keep it in memory for this page only and return false. */
    write: function (state) {
      if (this.probe()) {
        try {
          window.localStorage.setItem(KEY, JSON.stringify(state));
          return true;
        } catch (e) {
          this.available = false;
        }
      }
      this.memory = copy(state);
      return false;
    }
  };

  /* ---------- the confirmation bar (one per page) ---------- */

  function toast() {
    var bar = document.querySelector(".pb-agenda-toast");
    if (bar) { return bar.pbToast; }
    bar = el("div", "pb-agenda-toast");
    var message = el("p", "pb-agenda-toast-message");
    message.setAttribute("role", "status");
    var actions = el("div", "pb-agenda-toast-actions");
    actions.hidden = true;
    var undo = el("button", "pb-agenda-toast-button");
    undo.type = "button";
    var link = el("a", "pb-agenda-toast-link");
    var dismiss = el("button", "pb-agenda-toast-button");
    dismiss.type = "button";
    actions.appendChild(undo);
    actions.appendChild(link);
    actions.appendChild(dismiss);
    bar.appendChild(message);
    bar.appendChild(actions);
    document.body.appendChild(bar);
    var onUndo = null;
    function close() {
      bar.classList.remove("is-open");
      actions.hidden = true;
      message.textContent = "";
    }
    undo.addEventListener("click", function () {
      var act = onUndo;
      onUndo = null;
      if (act) { act(); }
    });
    dismiss.addEventListener("click", close);
    bar.pbToast = {
      /* Show `text`; `opts.undo` (a function) adds an Undo button, `opts.href` a link to the agenda. */
      show: function (text, opts) {
        opts = opts || {};
        message.textContent = text;
        onUndo = opts.undo || null;
        undo.hidden = !onUndo;
        undo.textContent = opts.words("undo");
        link.hidden = !opts.href;
        if (opts.href) { link.href = opts.href; link.textContent = opts.words("open"); }
        dismiss.textContent = opts.words("dismiss");
        actions.hidden = false;
        bar.classList.add("is-open");
      },
      close: close
    };
    return bar.pbToast;
  }

  /* ---------- "add to my agenda" on record pages ---------- */

  function sameEntry(entry, text, path) {
    return entry.text === text && !!entry.source && entry.source.path === path;
  }

  function setupSource(box) {
    if (box.dataset.pbAgendaReady) { return; }
    box.dataset.pbAgendaReady = "1";
    var t = words(box);
    var path = box.getAttribute("data-pb-agenda-path");
    var title = box.getAttribute("data-pb-agenda-from");
    if (!PATH.test(path)) { return; }
    var each = box.getAttribute("data-pb-agenda-each");
    var items = each ? box.querySelectorAll(":scope > " + each) : box.querySelectorAll("[data-pb-agenda-text]");
    var buttons = [];
    items.forEach(function (item) {
      var text = (item.getAttribute("data-pb-agenda-text") || item.textContent).replace(/\s+/g, " ").trim();
      if (!text) { return; }
      var group = item.getAttribute("data-pb-agenda-group") || box.getAttribute("data-pb-agenda-group");
      if (GROUPS.indexOf(group) === -1) { group = GROUPS[0]; }
      var button = el("button", "pb-agenda-add");
      button.type = "button";
      button.setAttribute("aria-pressed", "false");
      var glyph = el("span", "pb-agenda-add-glyph", "+");
      glyph.setAttribute("aria-hidden", "true");
      button.appendChild(glyph);
      button.appendChild(el("span", "pb-agenda-add-text", t("add")));
      button.pbText = text;
      button.addEventListener("click", function () { toggle(button, text, group); });
      item.appendChild(document.createTextNode(" "));
      item.appendChild(button);
      buttons.push(button);
    });

    function agendaHref() {
      return new URL("agenda/", siteRoot()).href;
    }

    function toggle(button, text, group) {
      // A play's page cannot keep anything for the agenda page in memory: without storage, say so and stop.
      if (!store.probe()) { toast().show(t("not-saved"), {words: t}); return; }
      var state = store.read();
      var index = -1;
      state.current.forEach(function (e, i) { if (index === -1 && sameEntry(e, text, path)) { index = i; } });
      if (index !== -1) {
        var removed = state.current.splice(index, 1)[0];
        if (!store.write(state)) { store.memory = null; toast().show(t("not-saved"), {words: t}); return; }
        refresh();
        toast().show(t("removed"), {words: t, href: agendaHref(), undo: function () {
          var again = store.read();
          again.current.splice(Math.min(index, again.current.length), 0, removed);
          store.write(again);
          refresh();
          toast().show(t("added"), {words: t, href: agendaHref()});
        }});
        return;
      }
      var entry = {id: newId(), text: text.slice(0, MAX_TEXT), group: group, done: false, added: today()};
      if (title && title.trim()) { entry.source = {title: title.slice(0, MAX_TEXT), path: path}; }
      state.current.push(entry);
      if (!store.write(state)) {
        store.memory = null;  // only this page would remember it: say so rather than pretend it was kept
        toast().show(t("not-saved"), {words: t});
        return;
      }
      refresh();
      toast().show(t("added"), {words: t, href: agendaHref(), undo: function () {
        var again = store.read();
        again.current = again.current.filter(function (e) { return e.id !== entry.id; });
        store.write(again);
        refresh();
        toast().show(t("removed"), {words: t, href: agendaHref()});
      }});
    }

    function refresh() {
      var state = store.read();
      buttons.forEach(function (button) {
        var on = state.current.some(function (e) { return sameEntry(e, button.pbText, path); });
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.querySelector(".pb-agenda-add-glyph").textContent = on ? "\u2713" : "+";
      });
    }
    box.pbAgendaRefresh = refresh;
    refresh();
  }

  /* ---------- the agenda page ---------- */

  function markdownText(text) {
    // Literal in any Markdown renderer: escape what could start emphasis, code, a link or an HTML tag.
    return text.replace(/\s+/g, " ").trim()
      .replace(/([\\`*_[\]])/g, "\\$1")
      .replace(/&(?=#?[A-Za-z0-9]+;)/g, "&amp;")
      .replace(/<(?=[A-Za-z/!?])/g, "&lt;");
  }

  function setupAgenda(root) {
    if (root.dataset.pbAgendaReady) { return; }
    root.dataset.pbAgendaReady = "1";
    var t = words(root);
    var app = root.querySelector("[data-pb-agenda-app]");
    var warning = root.querySelector("[data-pb-agenda-warning]");
    var form = root.querySelector("[data-pb-agenda-new]");
    var fileInput = root.querySelector("[data-pb-agenda-file]");
    var history = root.querySelector("[data-pb-agenda-history]");
    var historyEmpty = root.querySelector("[data-pb-agenda-history-empty]");
    var lines = root.querySelector("[data-pb-agenda-lines]");
    var state = store.read();
    var editing = null;
    app.hidden = false;
    root.querySelector("[data-pb-agenda-nojs]").hidden = true;
    warning.hidden = store.probe();

    function groupName(g) { return t("group-" + g); }

    /* Save and draw; `undoable` is the state before the change, offered back through Undo. */
    function commit(message, undoable, focus) {
      var saved = store.write(state);
      warning.hidden = saved;
      render(focus);
      if (message) {
        toast().show(message, {words: t, undo: undoable ? function () {
          state = undoable;
          editing = null;
          warning.hidden = store.write(state);
          render();
          toast().show(t("undone"), {words: t});
        } : null});
      }
    }

    function entriesOf(group) {
      return state.current.filter(function (e) { return e.group === group; });
    }

    function move(entry, step) {
      var list = entriesOf(entry.group);
      var at = list.indexOf(entry);
      var to = at + step;
      if (to < 0 || to >= list.length) { return; }
      var a = state.current.indexOf(entry);
      var b = state.current.indexOf(list[to]);
      state.current[a] = list[to];
      state.current[b] = entry;
      commit(t("moved", {n: to + 1, total: list.length, group: groupName(entry.group)}), null,
             {id: entry.id, act: step < 0 ? "up" : "down"});
    }

    function sourceLink(entry) {
      var a = el("a", null, entry.source.title);
      a.href = new URL(entry.source.path, siteRoot()).href;
      return a;
    }

    function entryItem(entry, position, count) {
      var li = el("li", "pb-agenda-entry" + (entry.done ? " is-done" : ""));
      li.setAttribute("data-id", entry.id);
      var labelId = "pb-agenda-text-" + entry.id;
      if (editing === entry.id) {
        var edit = el("form", "pb-agenda-edit");
        var input = el("input");
        input.type = "text";
        input.value = entry.text;
        input.maxLength = MAX_TEXT;
        input.required = true;
        input.setAttribute("aria-label", t("edit-label"));
        input.setAttribute("data-act", "text");
        var save = el("button", "md-button md-button--primary", t("save"));
        save.type = "submit";
        var cancel = el("button", "md-button", t("cancel"));
        cancel.type = "button";
        cancel.setAttribute("data-act", "cancel");
        edit.appendChild(input);
        edit.appendChild(save);
        edit.appendChild(cancel);
        edit.addEventListener("submit", function (event) {
          event.preventDefault();
          var text = input.value.replace(/\s+/g, " ").trim();
          if (!text) { input.focus(); return; }
          var before = copy(state);
          entry.text = text;
          editing = null;
          commit(t("saved"), before, {id: entry.id, act: "edit"});
        });
        var stop = function () { editing = null; render({id: entry.id, act: "edit"}); };
        cancel.addEventListener("click", stop);
        input.addEventListener("keydown", function (event) {
          if (event.key === "Escape") { event.preventDefault(); stop(); }
        });
        li.appendChild(edit);
        return li;
      }
      var main = el("div", "pb-agenda-main");
      var box = el("input");
      box.type = "checkbox";
      box.id = "pb-agenda-done-" + entry.id;
      box.checked = entry.done;
      box.setAttribute("data-act", "done");
      box.addEventListener("change", function () {
        entry.done = box.checked;
        commit(null, null, {id: entry.id, act: "done"});
      });
      var label = el("label", "pb-agenda-text", entry.text);
      label.htmlFor = box.id;
      label.id = labelId;
      main.appendChild(box);
      main.appendChild(label);
      li.appendChild(main);
      if (entry.source || entry.carried) {
        var meta = el("p", "pb-agenda-meta");
        if (entry.source) {
          var from = el("span", "pb-agenda-from");
          from.appendChild(withNode(t("from"), "source", sourceLink(entry)));
          meta.appendChild(from);
        }
        if (entry.carried) {
          meta.appendChild(el("span", "pb-agenda-carried", t("carried-from", {date: entry.carried})));
        }
        li.appendChild(meta);
      }
      var tools = el("div", "pb-agenda-entry-tools");
      function tool(act, text, glyph, handler, disabled) {
        var b = el("button", "pb-agenda-tool", glyph || text);
        b.type = "button";
        b.setAttribute("data-act", act);
        b.setAttribute("aria-describedby", labelId);
        if (glyph) { b.setAttribute("aria-label", text); b.title = text; }
        if (disabled) { b.setAttribute("aria-disabled", "true"); }
        b.addEventListener("click", function () { if (!disabled) { handler(); } });
        tools.appendChild(b);
        return b;
      }
      tool("up", t("move-up"), "\u2191", function () { move(entry, -1); }, position === 0);
      tool("down", t("move-down"), "\u2193", function () { move(entry, 1); }, position === count - 1);
      var select = el("select", "pb-agenda-move");
      select.setAttribute("aria-label", t("group"));
      select.setAttribute("aria-describedby", labelId);
      select.setAttribute("data-act", "group");
      GROUPS.forEach(function (g) {
        var option = el("option", null, groupName(g));
        option.value = g;
        option.selected = g === entry.group;
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        var before = copy(state);
        state.current.splice(state.current.indexOf(entry), 1);
        entry.group = select.value;
        state.current.push(entry);
        var list = entriesOf(entry.group);
        commit(t("moved", {n: list.length, total: list.length, group: groupName(entry.group)}), before,
               {id: entry.id, act: "group"});
      });
      tools.appendChild(select);
      tool("edit", t("edit"), null, function () { editing = entry.id; render({id: entry.id, act: "text"}); });
      tool("remove", t("remove"), null, function () {
        var before = copy(state);
        var list = entriesOf(entry.group);
        var at = list.indexOf(entry);
        state.current.splice(state.current.indexOf(entry), 1);
        var next = list[at + 1] || list[at - 1];
        commit(t("removed"), before, next ? {id: next.id, act: "remove"} : {group: entry.group});
      });
      li.appendChild(tools);
      return li;
    }

    function renderHistory() {
      history.textContent = "";
      historyEmpty.hidden = state.history.length > 0;
      state.history.forEach(function (past) {
        var details = el("details", "pb-agenda-past");
        details.appendChild(el("summary", null, t("history-item", {date: past.date, n: past.entries.length})));
        var list = el("ul");
        past.entries.forEach(function (entry) {
          var li = el("li", null, entry.text);
          var meta = el("span", "pb-agenda-meta");
          meta.appendChild(document.createTextNode(" \u2014 " + groupName(entry.group)));
          if (entry.source) {
            meta.appendChild(document.createTextNode(", "));
            meta.appendChild(withNode(t("from"), "source", sourceLink(entry)));
          }
          li.appendChild(meta);
          list.appendChild(li);
        });
        details.appendChild(list);
        history.appendChild(details);
      });
    }

    function render(focus) {
      var total = 0;
      GROUPS.forEach(function (g) {
        var section = root.querySelector("[data-pb-agenda-group='" + g + "']");
        var list = section.querySelector(".pb-agenda-entries");
        var entries = entriesOf(g);
        total += entries.length;
        list.textContent = "";
        entries.forEach(function (entry, i) { list.appendChild(entryItem(entry, i, entries.length)); });
        section.classList.toggle("is-empty", entries.length === 0);
        section.querySelector(".pb-agenda-empty").hidden = entries.length > 0;
      });
      renderHistory();
      // Lines for notes on the printed page: fewer as the agenda grows, so the sheet stays one page.
      lines.textContent = "";
      var count = Math.max(4, 26 - total);
      for (var i = 0; i < count; i += 1) { lines.appendChild(el("div", "pb-agenda-line")); }
      if (focus) {
        var target = null;
        if (focus.id) {
          var li = root.querySelector(".pb-agenda-entry[data-id='" + focus.id + "']");
          target = li && (li.querySelector("[data-act='" + focus.act + "']") || li.querySelector("[data-act]"));
        }
        if (!target && focus.group) { target = root.querySelector("#agenda-" + focus.group); target.tabIndex = -1; }
        if (target) { target.focus(); }
      }
    }

    function markdown() {
      var out = ["# " + markdownText(t("title")), ""];
      GROUPS.forEach(function (g) {
        var entries = entriesOf(g);
        if (!entries.length) { return; }
        out.push("## " + markdownText(groupName(g)), "");
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

    function copyText(text) {
      return window.playbookCopyText(text);  // one clipboard helper, in playbook.js
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.querySelector("input[name=text]");
      var group = form.querySelector("select[name=group]").value;
      var text = input.value.replace(/\s+/g, " ").trim();
      if (!text) { input.focus(); return; }
      var before = copy(state);
      if (GROUPS.indexOf(group) === -1) { group = GROUPS[0]; }
      state.current.push({id: newId(), text: text.slice(0, MAX_TEXT), group: group, done: false, added: today()});
      input.value = "";
      commit(t("added-to", {group: groupName(group)}), before);
      input.focus();
    });

    var actions = {
      copy: function () {
        var text = markdown();
        root.setAttribute("data-markdown", text);
        copyText(text).then(function () { toast().show(t("copied"), {words: t}); },
                            function () { toast().show(t("copy-failed"), {words: t}); });
      },
      print: function () { window.print(); },
      start: function () {
        if (!state.current.length) { toast().show(t("nothing-to-start"), {words: t}); return; }
        var before = copy(state);
        var date = today();
        var done = state.current.filter(function (e) { return e.done; });
        var open = state.current.filter(function (e) { return !e.done; });
        if (done.length) { state.history.unshift({date: date, entries: done}); }
        open.forEach(function (e) {
          if (e.group !== "carried") { e.group = "carried"; }
          if (!e.carried) { e.carried = date; }
        });
        state.current = open;
        commit(t("started", {done: done.length, date: date, open: open.length}), before);
      },
      download: function () {
        var name = t("file-name", {date: today()});
        var blob = new Blob([JSON.stringify(state, null, 2) + "\n"], {type: "application/json"});
        var a = el("a");
        a.href = URL.createObjectURL(blob);
        a.download = name;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
        toast().show(t("downloaded", {file: name}), {words: t});
      },
      restore: function () { fileInput.value = ""; fileInput.click(); }
    };
    root.querySelectorAll("[data-pb-agenda-action]").forEach(function (button) {
      button.addEventListener("click", actions[button.getAttribute("data-pb-agenda-action")]);
    });

    fileInput.addEventListener("change", function () {
      var file = fileInput.files && fileInput.files[0];
      if (!file) { return; }
      var reader = new FileReader();
      reader.onload = function () {
        var data;
        try { data = JSON.parse(String(reader.result)); } catch (e) {
          toast().show(t("restore-unreadable"), {words: t});
          return;
        }
        var restored = validState(data);
        if (!restored) { toast().show(t("restore-foreign"), {words: t}); return; }
        var before = copy(state);
        state = restored;
        editing = null;
        commit(t("restored", {n: state.current.length, past: state.history.length}), before);
      };
      reader.onerror = function () { toast().show(t("restore-unreadable"), {words: t}); };
      reader.readAsText(file);
    });

    // Another tab changed the agenda: show it (an edit in progress here is given up).
    window.addEventListener("storage", function (event) {
      if (event.key !== KEY) { return; }
      state = store.read();
      editing = null;
      render();
    });

    render();
  }

  function init() {
    document.querySelectorAll("[data-pb-agenda-path]").forEach(setupSource);
    document.querySelectorAll("[data-pb-agenda-page]").forEach(setupAgenda);
  }

  // Coming back to a page (history navigation) must show what other pages changed meanwhile.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-pb-agenda-path]").forEach(function (box) {
      if (box.pbAgendaRefresh) { box.pbAgendaRefresh(); }
    });
  });
  window.addEventListener("storage", function (event) {
    if (event.key !== KEY) { return; }
    document.querySelectorAll("[data-pb-agenda-path]").forEach(function (box) {
      if (box.pbAgendaRefresh) { box.pbAgendaRefresh(); }
    });
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
