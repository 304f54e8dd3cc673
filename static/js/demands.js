// Demands: (1) while a resident types a suggestion's title, fetch similar
// suggestions and demands in the chosen area (debounced) into the live
// region beside the form; without JavaScript the "Look for similar
// suggestions" button does the same on the server. (2) On an analysis
// run's page, poll the progress fragment until the run is finished; without
// JavaScript a refresh link is shown.
(function () {
  "use strict";

  var title = document.querySelector("input[data-similar-url]");
  if (title) {
    var target = document.getElementById(title.getAttribute("data-similar-target"));
    var area = title.form ? title.form.querySelector("[name=area]") : null;
    var timer = null;
    var last = "";
    var search = function () {
      var text = title.value.trim();
      var key = text + "|" + (area ? area.value : "");
      if (text.length < 2 || key === last) { return; }
      last = key;
      var url = title.getAttribute("data-similar-url") + "?title=" +
        encodeURIComponent(text) + (area && area.value ? "&area=" + encodeURIComponent(area.value) : "");
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { if (html && target) { target.innerHTML = html; } })
        .catch(function () {});
    };
    var later = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 400);
    };
    title.addEventListener("input", later);
    if (area) { area.addEventListener("change", later); }
  }

  var box = document.querySelector(".run-progress[data-progress-url]");
  if (box && !box.hasAttribute("data-finished")) {
    var refresh = document.querySelector(".run-refresh");
    if (refresh) { refresh.hidden = true; }
    var poll = function () {
      fetch(box.getAttribute("data-progress-url"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.text();
        })
        .then(function (html) {
          box.innerHTML = html;
          if (box.querySelector("[data-finished]")) { return; }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { if (refresh) { refresh.hidden = false; } });
    };
    window.setTimeout(poll, 1000);
  }
})();
