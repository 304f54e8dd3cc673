// Progressive enhancement for comment forms; everything works without it.
(function () {
  "use strict";

  // A second click while a form is being sent does nothing; the server
  // would store one comment anyway (idempotency key), this saves a request.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.setAttribute("aria-disabled", "true");
      });
    });
  });

  // Coming back to the page through the browser's history restores the
  // form as it was when sent; let it be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      delete form.dataset.sending;
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.removeAttribute("aria-disabled");
      });
    });
  });

  // A count of the characters left, tied to the field by aria-describedby.
  document.querySelectorAll("textarea[data-max-length]").forEach(function (area) {
    var max = parseInt(area.dataset.maxLength, 10);
    var counter = document.createElement("p");
    counter.className = "char-count";
    counter.id = area.id + "_count";
    area.insertAdjacentElement("afterend", counter);
    var describedBy = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + counter.id);
    var left = area.dataset.countLeft || "{n}";
    var over = area.dataset.countOver || "-{n}";
    function update() {
      var remaining = max - area.value.length;
      var text = remaining >= 0 ? left : over;
      counter.textContent = text.replace("{n}", Math.abs(remaining));
      counter.classList.toggle("over", remaining < 0);
    }
    area.addEventListener("input", update);
    update();
  });
})();
