// MyOrg dashboard: the theme, keyboard shortcuts, live refresh, resetting a form
// after htmx sent it, and the chat's answers as they come. Everything works without
// this file, less smoothly.
(function () {
  "use strict";
  var root = document.documentElement;
  var stored = null;
  try { stored = localStorage.getItem("theme"); } catch (e) { /* private mode */ }
  if (stored === "dark" || stored === "light") root.dataset.theme = stored;

  function dark() {
    if (root.dataset.theme) return root.dataset.theme === "dark";
    return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches;
  }

  function showTheme(button) {
    button.setAttribute("aria-pressed", dark() ? "true" : "false");
  }

  function tasks() { return Array.prototype.slice.call(document.querySelectorAll("li.task")); }

  function selected() {
    var active = document.activeElement;
    return active && active.closest ? active.closest("li.task") : null;
  }

  function move(step) {
    var all = tasks();
    if (!all.length) return;
    var at = all.indexOf(selected());
    var next = all[Math.max(0, Math.min(all.length - 1, at < 0 ? 0 : at + step))];
    next.focus();
  }

  function press(key) {
    var within = selected();
    var target = (within || document).querySelector('[data-key="' + key + '"]');
    if (target) { target.focus(); if (key === "x" || key === "e") target.click(); return true; }
    return false;
  }

  var going = false;
  document.addEventListener("keydown", function (event) {
    var typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (going) {
      going = false;
      var pages = { t: "/", c: "/calendar", p: "/projects", h: "/history" };
      if (pages[event.key]) { window.location = pages[event.key]; event.preventDefault(); }
      return;
    }
    if (event.key === "g") { going = true; return; }
    if (event.key === "j") { move(1); event.preventDefault(); return; }
    if (event.key === "k") { move(-1); event.preventDefault(); return; }
    if (event.key === "?") {
      var keys = document.getElementById("keys");
      if (keys && keys.showModal) keys.showModal();
      event.preventDefault();
      return;
    }
    if ((event.key === "/" || event.key === "n" || event.key === "x" || event.key === "e") && press(event.key)) {
      event.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme");
    if (button) {
      showTheme(button);
      button.addEventListener("click", function () {
        root.dataset.theme = dark() ? "light" : "dark";
        try { localStorage.setItem("theme", root.dataset.theme); } catch (e) { /* private mode */ }
        showTheme(button);
      });
    }
    // Live: a changed store refreshes the parts that listen for "store-changed",
    // unless the person is in the middle of an edit.
    var seen = null;
    if (!document.querySelector("header.top")) return;
    setInterval(function () {
      if (document.hidden) return;
      fetch("/version", { credentials: "same-origin" }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (version) {
        if (!version) return;
        if (seen !== null && version !== seen && !document.querySelector(".editing") && window.htmx) {
          htmx.trigger(document.body, "store-changed");
        }
        seen = version;
      }).catch(function () { /* offline for a moment */ });
    }, 3000);
  });

  // The assistant's answer as it comes (server-sent events): each tool call as it
  // has run, then the answer as the server drew it, in place of "Thinking…".
  function follow(root) {
    if (!root || !root.querySelectorAll || !window.EventSource) return;
    var items = Array.prototype.slice.call(root.querySelectorAll("[data-stream]"));
    if (root.matches && root.matches("[data-stream]")) items.push(root);
    items.forEach(function (item) {
      if (item.dataset.following) return;
      item.dataset.following = "1";
      var source = new EventSource(item.dataset.stream);
      function read(event) {
        try { return JSON.parse(event.data); } catch (e) { return null; }
      }
      source.addEventListener("tool", function (event) {
        var used = read(event);
        var tools = item.querySelector(".tools");
        if (!used || !tools) return;
        var line = document.createElement("li");
        var name = document.createElement("code");
        name.textContent = used.tool;
        line.appendChild(name);
        line.appendChild(document.createTextNode(" " + used.outcome));
        tools.appendChild(line);
      });
      // The model's words as they come: "draft" replaces them, "text" adds more.
      function words(event, replace) {
        var said = read(event);
        var text = item.querySelector(".text");
        if (!said || !text) return;
        var now = (replace ? "" : (text.classList.contains("working") ? "" : text.textContent)) + said.text;
        text.classList.toggle("working", now === "");
        text.textContent = now === "" ? "Thinking…" : now;
      }
      source.addEventListener("draft", function (event) { words(event, true); });
      source.addEventListener("text", function (event) { words(event, false); });
      source.addEventListener("done", function (event) {
        source.close();
        var answer = read(event);
        if (!answer) return;
        var template = document.createElement("template");
        template.innerHTML = answer.html;
        var drawn = template.content.firstElementChild;
        if (!drawn) return;
        item.replaceWith(drawn);
        if (window.htmx) htmx.process(drawn);
      });
      source.addEventListener("gone", function (event) {
        source.close();
        var gone = read(event);
        var text = item.querySelector(".text");
        if (gone && text) text.textContent = gone.text;
        item.removeAttribute("aria-busy");
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { follow(document.body); });
  document.addEventListener("htmx:load", function (event) { follow(event.detail.elt); });

  // A form marked data-reset is emptied after it was sent and answered well.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.hasAttribute && form.hasAttribute("data-reset") && event.detail.successful) {
      var failed = form.nextElementSibling && form.nextElementSibling.querySelector(".error");
      if (!failed) form.reset();
    }
  });
})();
