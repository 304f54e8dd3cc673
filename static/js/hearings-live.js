// The live hearing page: refresh the question list every 5 s with a
// conditional request (If-None-Match → 304 while nothing changed), and
// tick the speaker's countdown that the server computed. Without this
// script the page works with a plain reload.
(function () {
  "use strict";

  var POLL_MS = 5000;

  function busy(list) {
    // Never replace the list under someone typing or moderating.
    return list.contains(document.activeElement) || list.querySelector("details[open]");
  }

  function poll(list) {
    var etag = list.getAttribute("data-etag") || "";
    var url = list.getAttribute("data-poll-url");
    var tick = function () {
      if (document.hidden || busy(list)) {
        return;
      }
      fetch(url, {
        headers: etag ? { "If-None-Match": etag } : {},
        credentials: "same-origin",
        cache: "no-store",
      })
        .then(function (response) {
          if (response.status !== 200) {
            return null;
          }
          var next = response.headers.get("ETag");
          return response.text().then(function (html) {
            if (busy(list)) {
              return;
            }
            list.innerHTML = html;
            etag = next || "";
            list.setAttribute("data-etag", etag);
          });
        })
        .catch(function () {
          // Offline for a moment: try again on the next tick.
        });
    };
    window.setInterval(tick, POLL_MS);
  }

  function countdown(element) {
    var left = parseInt(element.getAttribute("data-countdown"), 10);
    if (isNaN(left)) {
      return;
    }
    var end = Date.now() + left * 1000;
    var show = function () {
      var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
      var text = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      if (element.textContent !== text) {
        element.textContent = text;
      }
      if (seconds === 0) {
        element.classList.add("countdown-over");
      }
    };
    show();
    window.setInterval(show, 1000);
  }

  document.querySelectorAll("[data-poll-url]").forEach(poll);
  document.querySelectorAll("[data-countdown]").forEach(countdown);
})();
