/* The agenda page: the reader's own agenda, grouped, reordered, ticked, edited and carried from meeting to
   meeting, with copy, print, download and restore. The data and the store are agenda-storage.js's, the words and
   the confirmation bar agenda-buttons.js's. */
(function () {
  "use strict";

  var A = window.playbookAgenda = window.playbookAgenda || {};

  function setupAgenda(root) {
    if (root.dataset.pbAgendaReady) { return; }
    root.dataset.pbAgendaReady = "1";
    var store = A.store, GROUPS = A.GROUPS, copy = A.copy, el = A.el, toast = A.toast;
    var t = A.words(root);
    var app = root.querySelector("[data-pb-agenda-app]");
    var warning = root.querySelector("[data-pb-agenda-warning]");
    var form = root.querySelector("[data-pb-agenda-new]");
    var fileInput = root.querySelector("[data-pb-agenda-file]");
    var history = root.querySelector("[data-pb-agenda-history]");
    var historyEmpty = root.querySelector("[data-pb-agenda-history-empty]");
    var lines = root.querySelector("[data-pb-agenda-lines]");
    var showKept = A.keptNotice(root.querySelector("[data-pb-agenda-kept]"), t);
    var state = store.read();
    var editing = null;
    app.hidden = false;
    root.querySelector("[data-pb-agenda-nojs]").hidden = true;

    function groupName(g) { return t("group-" + g); }

    /* Say when changes last only as long as the page: storage off, or full. */
    function showWarning() {
      var problem = !store.probe() ? "storage-off" : store.full || store.frozen ? "storage-full" : null;
      warning.hidden = !problem;
      if (problem) { warning.textContent = t(problem); }
    }

    /* Save and draw; `undoable` is the state before the change, offered back through Undo. */
    function commit(message, undoable, focus) {
      store.write(state);
      showWarning();
      render(focus);
      if (message) {
        toast().show(message, {words: t, undo: undoable ? function () {
          // Undo puts back this page's earlier state: never over what another tab has changed since.
          if (!store.unchanged()) {
            state = store.read();
            editing = null;
            render();
            toast().show(t("undo-gone"), {words: t});
            return;
          }
          state = undoable;
          editing = null;
          store.write(state);
          showWarning();
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
      a.href = new URL(entry.source.path, A.siteRoot()).href;
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
        input.maxLength = A.MAX_TEXT;
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
          from.appendChild(A.withNode(t("from"), "source", sourceLink(entry)));
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
            meta.appendChild(A.withNode(t("from"), "source", sourceLink(entry)));
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

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.querySelector("input[name=text]");
      var group = form.querySelector("select[name=group]").value;
      var text = input.value.replace(/\s+/g, " ").trim();
      if (!text) { input.focus(); return; }
      var before = copy(state);
      if (GROUPS.indexOf(group) === -1) { group = GROUPS[0]; }
      state.current.push({id: A.newId(), text: text.slice(0, A.MAX_TEXT), group: group, done: false, added: A.today()});
      input.value = "";
      commit(t("added-to", {group: groupName(group)}), before);
      input.focus();
    });

    var actions = {
      copy: function () {
        var text = A.markdown(state, t);
        root.setAttribute("data-markdown", text);
        window.playbookCopyText(text).then(function () { toast().show(t("copied"), {words: t}); },
                                           function () { toast().show(t("copy-failed"), {words: t}); });
      },
      print: function () { window.print(); },
      /* File the ticked entries under today's date, after asking; the rest stays in its groups and order, marked
         as open since the day it was added unless that is today. */
      start: function () {
        function split() {  // the words for what would be filed and what would stay, or null with nothing ticked
          var done = state.current.filter(function (e) { return e.done; }).length;
          var open = state.current.length - done;
          return done ? {done: t.count("count-entries", done), open: t.count("count-entries", open)} : null;
        }
        if (!split()) { toast().show(t("nothing-to-start"), {words: t}); return; }
        toast().show(t("start-confirm", split()), {words: t, cancel: t("cancel"),
                                                   action: {label: t("file"), run: function () {
          var counts = split();  // as it is now: another tab may have changed it since the question
          if (!counts) { toast().show(t("nothing-to-start"), {words: t}); return; }
          var before = copy(state);
          var date = A.today();
          state.history.unshift({date: date, entries: state.current.filter(function (e) { return e.done; })});
          state.current = state.current.filter(function (e) { return !e.done; });
          state.current.forEach(function (e) { if (!e.carried && e.added < date) { e.carried = e.added; } });
          commit(t("started", {done: counts.done, date: date, open: counts.open}), before);
        }}});
      },
      download: function () {
        var name = t("file-name", {date: A.today()});
        A.saveFile(JSON.stringify(state, null, 2) + "\n", name);
        toast().show(t("downloaded", {file: name}), {words: t});
      },
      restore: function () { fileInput.value = ""; fileInput.click(); }
    };
    root.querySelectorAll("[data-pb-agenda-action]").forEach(function (button) {
      button.addEventListener("click", actions[button.getAttribute("data-pb-agenda-action")]);
    });

    /* Replace the agenda with a restored one, or say that the browser had no room for it (nothing changed). */
    function replaceWith(restored) {
      var before = copy(state);
      if (!store.write(restored) && store.probe()) {
        store.full = false;  // the agenda kept before is still there, unchanged: only the file did not fit
        store.memory = null;
        toast().show(t("restore-failed"), {words: t});
        return;
      }
      state = restored;
      editing = null;
      showWarning();
      render();
      var counts = {entries: t.count("count-entries", state.current.length),
                    past: t.count("count-past", state.history.length)};
      toast().show(t("restored", counts), {words: t, undo: function () {
        if (!store.unchanged()) { toast().show(t("undo-gone"), {words: t}); return; }
        state = before;
        store.write(state);
        showWarning();
        render();
        toast().show(t("undone"), {words: t});
      }});
    }

    fileInput.addEventListener("change", function () {
      var file = fileInput.files && fileInput.files[0];
      if (!file) { return; }
      A.readFile(file, function (problem, restored) {
        if (problem) {
          toast().show(t(problem, {entries: A.MAX_ENTRIES, megabytes: A.MAX_MEGABYTES}), {words: t});
        } else if (!state.current.length && !state.history.length) {
          replaceWith(restored);  // nothing to lose: no need to ask
        } else {
          toast().show(t("restore-confirm"), {words: t, cancel: t("cancel"),
                                              action: {label: t("replace"), run: function () {
            replaceWith(restored);
          }}});
        }
      });
    });

    // Another tab changed the agenda: show it (an edit in progress here is given up), and take back an Undo
    // offered here, which would put back a state that no longer is.
    window.addEventListener("storage", function (event) {
      if (event.key !== null && event.key.indexOf(A.agendaKey()) !== 0) { return; }
      showKept();
      if (event.key !== null && event.key !== A.agendaKey()) { return; }
      state = store.read();
      editing = null;
      render();
      toast().withdrawUndo();
    });

    showWarning();
    showKept();
    render();
  }

  function init() {
    document.querySelectorAll("[data-pb-agenda-page]").forEach(setupAgenda);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
