/* Parcelcast panel: the few behaviours htmx does not cover. Plain JavaScript, no dependencies.
   - the menu button on narrow screens
   - the tag palette of the template editor (insert <<tag>> at the cursor)
   - <dialog> opening/closing (the WhatsApp consent dialog), and dialogs that open themselves
   - selects that submit their form on change, copy-to-clipboard buttons
   - saves you can trust: every htmx save that fails (no connection, server error, expired
     session, refused) puts the control back as it was, says why and offers a retry (or the
     login, coming back here); a success is announced in a live region (screen readers too)
   - the notification grid: its switches, row/column switches, country search, remove dialog
   - typed confirmations: a submit button that waits for a name typed exactly (deleting a brand)
   - a conversation opens scrolled to its newest message; a sideways tab strip shows its current tab
   Its own words come translated from the page (#panel-strings), English when missing. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The page's words in its language: data-* attributes of #panel-strings (layout.html), with the
  // English as the fallback; {name} placeholders are filled from `values`.
  function text(key, fallback, values) {
    var source = document.getElementById("panel-strings");
    var template = (source && source.dataset[key]) || fallback;
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && name in values ? String(values[name]) : whole;
    });
  }

  function on(type, selector, handler) {
    document.addEventListener(type, function (event) {
      var target = event.target.closest(selector);
      if (target) handler(event, target);
    });
  }

  // Menu (narrow screens)
  on("click", "[data-menu-toggle]", function (event, button) {
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("is-open", open);
  });

  // Tag palette: insert at the cursor of the field the merchant was editing last.
  var lastField = null;
  document.addEventListener("focusin", function (event) {
    if (event.target.matches("[data-tag-target]")) lastField = event.target;
  });
  on("click", "[data-insert-tag]", function (event, button) {
    event.preventDefault();
    var field = lastField || document.getElementById(button.getAttribute("data-default-target"));
    if (!field) return;
    var text = "<<" + button.getAttribute("data-insert-tag") + ">>";
    var start = field.selectionStart == null ? field.value.length : field.selectionStart;
    var end = field.selectionEnd == null ? start : field.selectionEnd;
    field.setRangeText(text, start, end, "end");
    field.focus();
    // The preview listens to keyup (htmx trigger "keyup changed"): tell it the text changed.
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  });

  // Dialogs
  function openDialog(dialog) {
    if (dialog && !dialog.open && dialog.showModal) dialog.showModal();
  }
  on("click", "[data-dialog-open]", function (event, trigger) {
    event.preventDefault();
    openDialog(document.getElementById(trigger.getAttribute("data-dialog-open")));
  });
  on("click", "[data-dialog-close]", function (event, trigger) {
    event.preventDefault();
    var dialog = trigger.closest("dialog");
    if (dialog) dialog.close();
  });
  function autoshow(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("dialog[data-autoshow]").forEach(function (dialog) {
      if (dialog.hasAttribute("open")) dialog.removeAttribute("open"); // server-rendered open: make it modal
      openDialog(dialog);
    });
  }

  // Selects that submit their form on change (brand pickers, filters)
  on("change", "select[data-autosubmit]", function (event, select) {
    if (select.form) select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
  });

  // Copy to clipboard
  on("click", "[data-copy]", function (event, button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var label = button.textContent;
      button.textContent = text("copied", "Copied");
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  // --- Saves you can trust ------------------------------------------------------------------
  if (window.htmx) {
    htmx.config.timeout = 20000;
    // A refused form (422) answers the form again with the reason in place: swap it.
    htmx.config.responseHandling = [{ code: "204", swap: false }, { code: "422", swap: true, error: true },
      { code: "[23]..", swap: true }, { code: "[45]..", swap: false, error: true }, { code: "...", swap: false }];
  }
  var lastFailed = null;
  var statusTimer = null;

  function announce(message) {
    var region = document.getElementById("save-status");
    if (!region) return;
    region.textContent = "";
    clearTimeout(statusTimer);
    // A fresh text node after a tick: screen readers announce a change, not a region already read.
    setTimeout(function () {
      region.textContent = message;
      region.classList.add("is-shown");
      statusTimer = setTimeout(function () { region.classList.remove("is-shown"); }, 2600);
    }, 30);
  }

  function hideError() {
    var box = document.getElementById("save-error");
    if (box) box.hidden = true;
  }

  function showError(message, options) {
    var box = document.getElementById("save-error");
    if (!box) return;
    box.querySelector("[data-save-message]").textContent = message;
    box.querySelector("[data-save-retry]").hidden = !options.retry;
    var login = box.querySelector("[data-save-login]");
    login.hidden = !options.login;
    if (options.login) login.href = options.login;
    box.querySelector("[data-save-reload]").hidden = !options.reload;
    box.hidden = false;
  }

  // The state the control had before the change: what the server rendered (default*). Text the
  // merchant typed is never thrown away: it stays for the retry.
  function revert(elt) {
    if (!elt || elt.tagName === "FORM") return;
    if (elt.type === "checkbox" || elt.type === "radio") elt.checked = elt.defaultChecked;
    else if (elt.tagName === "SELECT") Array.prototype.forEach.call(elt.options, function (o) { o.selected = o.defaultSelected; });
  }

  // Requests that save nothing (previews as you type) fail quietly: the next keystroke retries.
  function quiet(event) {
    var elt = event.detail.elt;
    var path = (event.detail.requestConfig && event.detail.requestConfig.path) || "";
    return (elt && elt.closest && elt.closest("[data-save-quiet]")) || /\/preview\/$/.test(path);
  }

  function intended(elt) {
    if (!elt || elt.tagName === "FORM") return null;
    if (elt.type === "checkbox" || elt.type === "radio") return elt.checked;
    return elt.value;
  }

  function failed(elt, xhr, reason) {
    var status = xhr ? xhr.status : 0;
    var type = xhr ? (xhr.getResponseHeader("Content-Type") || "") : "";
    var reply = xhr && type.indexOf("text/plain") === 0 ? (xhr.responseText || "").slice(0, 300) : "";
    if (status === 422 && type.indexOf("text/html") === 0) return; // answered in place, role=alert
    lastFailed = { elt: elt, value: intended(elt) };
    revert(elt);
    var login = xhr && xhr.getResponseHeader("X-Login-Url");
    if (login) {
      showError(text("expired", "Your session has expired, so this change was not saved. Log in again and you will come back here."), { login: login });
    } else if (reason === "network") {
      showError(text("offline", "No connection: this change was not saved."), { retry: true });
    } else if (status === 403) {
      showError(text("stale", "This page is out of date, so the change was not saved. Reload the page and try again."), { reload: true });
    } else if (status >= 500) {
      showError(text("server", "The server had a problem (error {status}): this change was not saved.", { status: status }), { retry: true });
    } else {
      showError(text("refused", "Not saved: {reason}", { reason: reply || text("refusedStatus", "the change was refused (error {status}).", { status: status }) }), { retry: status !== 422 });
    }
  }

  document.addEventListener("htmx:beforeRequest", function (event) { if (!quiet(event)) hideError(); });
  document.addEventListener("htmx:sendError", function (event) { if (!quiet(event)) failed(event.detail.elt, null, "network"); });
  document.addEventListener("htmx:timeout", function (event) { if (!quiet(event)) failed(event.detail.elt, null, "network"); });
  document.addEventListener("htmx:responseError", function (event) {
    if (!quiet(event)) failed(event.detail.elt, event.detail.xhr, "response");
  });
  document.addEventListener("pc-saved", function (event) {
    announce((event.detail && event.detail.message) || text("saved", "Saved."));
  });
  on("click", "[data-save-dismiss]", hideError);
  on("click", "[data-save-reload]", function () { window.location.reload(); });
  on("click", "[data-save-retry]", function () {
    var attempt = lastFailed;
    hideError();
    if (!attempt || !attempt.elt || !attempt.elt.isConnected) return;
    var elt = attempt.elt;
    if (elt.tagName === "FORM") {
      elt.requestSubmit ? elt.requestSubmit() : htmx.trigger(elt, "submit");
      return;
    }
    if (elt.type === "checkbox" || elt.type === "radio") elt.checked = attempt.value;
    else if (elt.tagName === "SELECT") elt.value = attempt.value;
    elt.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // --- The notification grid ----------------------------------------------------------------
  on("change", "#grid-table input", function (event, input) {
    var table = input.closest("table");
    var cell = input.closest("[data-c]");
    var row = input.closest("tr[data-s]");
    var values = { enabled: input.checked ? "on" : "" };
    var url = table.getAttribute("data-toggle-url");
    if (input.getAttribute("data-bulk") === "status") {
      values.status = row.getAttribute("data-s");
      url = table.getAttribute("data-bulk-url");
    } else if (input.getAttribute("data-bulk") === "country") {
      values.country = cell.getAttribute("data-c");
      url = table.getAttribute("data-bulk-url");
    } else {
      values.country = cell.getAttribute("data-c");
      values.status = row.getAttribute("data-s");
    }
    input.classList.remove("is-mixed");
    var focused = document.activeElement === input;
    var home = (input.closest("td, th") || {}).id;
    htmx.ajax("POST", url, { source: input, target: input, swap: "none", values: values }).then(function () {
      // The answer replaced the cell: keep the keyboard where it was.
      var again = home && document.getElementById(home);
      if (focused && again && !input.isConnected) {
        var next = again.querySelector("input");
        if (next) next.focus();
      }
    });
  });

  function filterBy(query, items, hide) {
    var words = query.trim().toLowerCase();
    items.forEach(function (item) { hide(item, words && item.getAttribute("data-name").indexOf(words) === -1); });
  }
  on("input", "[data-grid-search]", function (event, field) {
    var table = document.getElementById(field.getAttribute("data-grid-search"));
    if (!table) return;
    var hidden = {};
    filterBy(field.value, table.querySelectorAll("thead th[data-c]"), function (th, hide) {
      hidden[th.getAttribute("data-c")] = hide;
      th.classList.toggle("is-filtered", !!hide);
    });
    table.querySelectorAll("tbody td[data-c]").forEach(function (td) {
      td.classList.toggle("is-filtered", !!hidden[td.getAttribute("data-c")]);
    });
  });
  on("input", "[data-list-search]", function (event, field) {
    var list = document.getElementById(field.getAttribute("data-list-search"));
    if (list) filterBy(field.value, list.querySelectorAll("[data-name]"), function (item, hide) { item.hidden = !!hide; });
  });
  on("click", "[data-remove]", function (event, button) {
    var dialog = document.getElementById("remove-country-dialog");
    if (!dialog) return;
    dialog.querySelector("[data-remove-form]").setAttribute("action", button.getAttribute("data-remove"));
    dialog.querySelectorAll("[data-remove-name]").forEach(function (span) { span.textContent = button.getAttribute("data-remove-name"); });
    openDialog(dialog);
  });

  function scrollHints() {
    document.querySelectorAll("[data-scroll-hint]").forEach(function (box) {
      var frame = box.parentElement;
      frame.classList.toggle("more-right", box.scrollLeft + box.clientWidth < box.scrollWidth - 2);
      frame.classList.toggle("more-left", box.scrollLeft > 2);
    });
  }
  document.addEventListener("scroll", function (event) {
    if (event.target.matches && event.target.matches("[data-scroll-hint]")) scrollHints();
  }, true);
  window.addEventListener("resize", scrollHints);
  document.addEventListener("htmx:afterSettle", scrollHints);
  document.addEventListener("input", function (event) { if (event.target.matches("[data-grid-search]")) scrollHints(); });

  // Typed confirmation: the form's [data-confirm-submit] is enabled only once the field holds its
  // data-confirm-name exactly (the server checks it again).
  function syncConfirm(field) {
    var button = field.form && field.form.querySelector("[data-confirm-submit]");
    if (button) button.disabled = field.value.trim() !== field.getAttribute("data-confirm-name");
  }
  function confirmNames(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-confirm-name]").forEach(syncConfirm);
  }
  on("input", "[data-confirm-name]", function (event, field) { syncConfirm(field); });

  // A conversation opens at its newest message (the list stays oldest first for reading aloud).
  function scrollToEnd(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-scroll-end]").forEach(function (box) {
      box.scrollTop = box.scrollHeight;
    });
  }

  // A tab strip wider than a phone scrolls sideways: bring the current tab into view, centred, without
  // moving the page (scrollIntoView would scroll the window too). .tabs is its offsetParent.
  function revealCurrentTab(root) {
    var strips = root.matches && root.matches(".tabs") ? [root] : (root.querySelectorAll ? root : document).querySelectorAll(".tabs");
    Array.prototype.forEach.call(strips, function (strip) {
      var tab = strip.querySelector("[aria-current='page']");
      if (!tab || strip.scrollWidth <= strip.clientWidth) return;
      strip.scrollLeft = tab.offsetLeft - (strip.clientWidth - tab.offsetWidth) / 2;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    confirmNames(document); autoshow(document); scrollHints(); scrollToEnd(document); revealCurrentTab(document);
  });
  document.addEventListener("htmx:load", function (event) {
    confirmNames(event.target); autoshow(event.target); scrollToEnd(event.target); revealCurrentTab(event.target);
  });
})();
