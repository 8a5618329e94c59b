// litsieve screening page: one key per action. Every key stands for a button or link on
// the page (its data-key attribute), so the page works the same with the mouse, and
// without this script.
(function () {
  "use strict";

  function byKey(key) {
    return document.querySelector('[data-key="' + key + '"]');
  }

  function typing(element) {
    if (!element) return false;
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }

  function needsReason(button) {
    var reason = document.getElementById("reason");
    return button && button.value === "exclude" && reason &&
      reason.getAttribute("data-required") === "yes" && !reason.value;
  }

  var busy = false;

  document.addEventListener("submit", function (event) {
    // One submission at a time: a key held down must not send the same decision twice.
    if (busy) { event.preventDefault(); return; }
    busy = true;
    document.body.classList.add("saving");
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (typing(target)) {
      // Esc leaves a field; Enter leaves the reason menu (the next key decides).
      if (event.key === "Escape" || (event.key === "Enter" && target.tagName === "SELECT")) {
        target.blur();
        event.preventDefault();
      }
      return;
    }
    var key = event.key;
    if (key === "j") key = "ArrowRight";
    if (key === "k") key = "ArrowLeft";
    var element = byKey(key);
    if (!element || element.disabled) return;
    event.preventDefault();
    if (element.tagName === "SELECT" || element.tagName === "TEXTAREA") {
      element.focus();
      return;
    }
    if (needsReason(element)) {
      var reason = document.getElementById("reason");
      reason.classList.add("missing");
      reason.focus();
      return;
    }
    element.click();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button") : null;
    if (needsReason(button)) {
      event.preventDefault();
      var reason = document.getElementById("reason");
      reason.classList.add("missing");
      reason.focus();
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "reason") {
      event.target.classList.remove("missing");
    }
  });
})();
