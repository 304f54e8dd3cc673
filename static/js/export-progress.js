// Export progress: polls the job's JSON status and updates the progress
// bar; reloads the page when the file is ready (or the export failed) so
// the server-rendered download link appears. Without JavaScript the page
// offers a refresh link instead.
(function () {
  "use strict";
  var box = document.querySelector(".export-job[data-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var percent = box.querySelector(".export-percent");
  var refresh = box.querySelector(".export-refresh");
  var INTERVAL = 1500;

  if (refresh) { refresh.hidden = true; }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (status) {
        bar.value = status.percent;
        bar.textContent = status.percent + "%";
        if (percent) { percent.textContent = status.percent + "%"; }
        if (status.state === "done" || status.state === "failed") {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, INTERVAL);
      })
      .catch(function () {
        if (refresh) { refresh.hidden = false; }
      });
  }
  window.setTimeout(poll, INTERVAL);
})();
