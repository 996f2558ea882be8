/* Parcelcast panel: the few behaviours htmx does not cover. Plain JavaScript, no dependencies.
   - the menu button on narrow screens
   - the tag palette of the template editor (insert <<tag>> at the cursor)
   - <dialog> opening/closing (the WhatsApp consent dialog), and dialogs that open themselves
   - selects that submit their form on change, copy-to-clipboard buttons */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

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
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  document.addEventListener("DOMContentLoaded", function () { autoshow(document); });
  document.addEventListener("htmx:load", function (event) { autoshow(event.target); });
})();
