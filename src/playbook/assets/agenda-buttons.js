/* The "add to my agenda" buttons on plays and checklists, and the confirmation bar (with Undo) that every agenda
   control reports through. Text is only ever set with textContent and attributes, never parsed as HTML, and every
   word comes from the page's data-msg-* attributes (the generator's strings table). */
(function () {
  "use strict";

  var A = window.playbookAgenda = window.playbookAgenda || {};

  /* ---------- words and nodes ---------- */

  /* The words of `el`: t(name, values); t.count(name, n) is "{n} ..." in the string's "-one" form when n is 1. */
  function words(el) {
    function t(name, values) {
      var text = el.getAttribute("data-msg-" + name) || "";
      return A.fill(text, values || {});
    }
    t.count = function (name, n) {
      return t(n === 1 && el.hasAttribute("data-msg-" + name + "-one") ? name + "-one" : name, {n: n});
    };
    return t;
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

  /* ---------- the confirmation bar (one per page) ---------- */

  // The element last pressed: some browsers do not focus a button on a click or tap.
  var pressed = null;
  document.addEventListener("pointerdown", function (event) { pressed = event.target; }, true);

  function toast() {
    var bar = document.querySelector(".pb-agenda-toast");
    if (bar) { return bar.pbToast; }
    bar = el("div", "pb-agenda-toast");
    var message = el("p", "pb-agenda-toast-message");
    message.setAttribute("role", "status");
    var actions = el("div", "pb-agenda-toast-actions");
    actions.hidden = true;
    var act = el("button", "pb-agenda-toast-button");
    act.type = "button";
    var link = el("a", "pb-agenda-toast-link");
    var dismiss = el("button", "pb-agenda-toast-button");
    dismiss.type = "button";
    actions.appendChild(act);
    actions.appendChild(link);
    actions.appendChild(dismiss);
    bar.appendChild(message);
    bar.appendChild(actions);
    document.body.appendChild(bar);
    var onAct = null;
    var isUndo = false;
    var timer = null;
    var back = null;  // the control the bar reports on, where the focus goes back from the bar
    function focusBack() {
      if (bar.contains(document.activeElement) && back && document.contains(back)) { back.focus(); }
    }
    function close() {
      clearTimeout(timer);
      focusBack();
      bar.classList.remove("is-open");
      actions.hidden = true;
      message.textContent = "";
      onAct = null;
    }
    // Closes by itself after a while, but not while the reader is on it (focus or pointer inside).
    function later() {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (bar.contains(document.activeElement) || bar.matches(":hover")) { later(); } else { close(); }
      }, 6000);
    }
    bar.addEventListener("focusout", later);
    bar.addEventListener("mouseleave", later);
    act.addEventListener("click", function () {
      var run = onAct;
      onAct = null;
      focusBack();
      act.hidden = true;
      if (run) { run(); }
    });
    dismiss.addEventListener("click", close);
    bar.pbToast = {
      /* Show `text`; `opts.undo` (a function) adds an Undo button, `opts.action` ({label, run}) another action
         (focused, as it asks a question), `opts.cancel` names the closing button, `opts.href` links the agenda. */
      show: function (text, opts) {
        opts = opts || {};
        var used = document.activeElement !== document.body ? document.activeElement : pressed;  // not to be covered
        if (!bar.contains(used)) { back = used; }
        message.textContent = text;
        var action = opts.action || (opts.undo ? {label: opts.words("undo"), run: opts.undo} : null);
        onAct = action ? action.run : null;
        isUndo = !opts.action && !!opts.undo;
        act.hidden = !action;
        act.textContent = action ? action.label : "";
        link.hidden = !opts.href;
        if (opts.href) { link.href = opts.href; link.textContent = opts.words("open"); }
        dismiss.textContent = opts.cancel || opts.words("dismiss");
        actions.hidden = false;
        bar.classList.remove("is-top");
        bar.classList.add("is-open");
        if (used && used !== document.body && !bar.contains(used)) {
          var a = used.getBoundingClientRect();
          var b = bar.getBoundingClientRect();
          var covers = a.bottom > b.top && a.top < b.bottom && a.right > b.left && a.left < b.right;
          bar.classList.toggle("is-top", covers);
        }
        if (opts.action) { act.focus(); }
        later();
      },
      /* Take back an offered Undo: what it would restore is out of date (another tab changed the agenda). */
      withdrawUndo: function () {
        if (isUndo && onAct) { onAct = null; act.hidden = true; }
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
    var store = A.store, GROUPS = A.GROUPS;
    var t = words(box);
    var path = box.getAttribute("data-pb-agenda-path");
    var title = box.getAttribute("data-pb-agenda-from");
    if (!A.PATH.test(path)) { return; }
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
      return new URL("agenda/", A.siteRoot()).href;
    }

    function toggle(button, text, group) {
      // A play's page cannot keep anything for the agenda page in memory: without storage, say so and stop.
      if (!store.probe()) { toast().show(t("not-saved"), {words: t}); return; }
      var state = store.read();
      // Said once, with the first change after a stored agenda had to be recovered (its original is kept aside).
      var kept = store.recovered ? " " + t("kept-short") : "";
      var index = -1;
      state.current.forEach(function (e, i) { if (index === -1 && sameEntry(e, text, path)) { index = i; } });
      if (index !== -1) {
        var removed = state.current.splice(index, 1)[0];
        if (!store.write(state)) { store.memory = null; toast().show(t("not-saved"), {words: t}); return; }
        refresh();
        toast().show(t("removed") + kept, {words: t, href: agendaHref(), undo: function () {
          var again = store.read();
          // Another tab may have put it back already: the same line twice would be one id twice.
          if (again.current.some(function (e) { return e.id === removed.id; })) { refresh(); return; }
          again.current.splice(Math.min(index, again.current.length), 0, removed);
          store.write(again);
          refresh();
          toast().show(t("added"), {words: t, href: agendaHref()});
        }});
        return;
      }
      var entry = {id: A.newId(), text: text.slice(0, A.MAX_TEXT), group: group, done: false, added: A.today()};
      if (title && title.trim()) { entry.source = {title: title.slice(0, A.MAX_TEXT), path: path}; }
      state.current.push(entry);
      if (!store.write(state)) {
        store.memory = null;  // only this page would remember it: say so rather than pretend it was kept
        toast().show(t("not-saved"), {words: t});
        return;
      }
      refresh();
      toast().show(t("added") + kept, {words: t, href: agendaHref(), undo: function () {
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
        button.querySelector(".pb-agenda-add-text").textContent = t(on ? "add-done" : "add");
      });
    }
    box.pbAgendaRefresh = refresh;
    refresh();
  }

  function refreshAll() {
    document.querySelectorAll("[data-pb-agenda-path]").forEach(function (box) {
      if (box.pbAgendaRefresh) { box.pbAgendaRefresh(); }
    });
  }

  function init() {
    document.querySelectorAll("[data-pb-agenda-path]").forEach(setupSource);
  }

  // Coming back to a page (history navigation) must show what other pages changed meanwhile.
  window.addEventListener("pageshow", refreshAll);
  window.addEventListener("storage", function (event) {
    if (event.key === null || event.key === A.agendaKey()) { refreshAll(); }
  });

  A.words = words;
  A.withNode = withNode;
  A.el = el;
  A.toast = toast;

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
